package dev.asynclocks.internal;

/**
 * A node of the wait queue of {@link HandOffSemaphore}: one acquisition that could not be granted
 * at once. Never leaves the {@code internal} package: callers get an {@link Acquisition} or a
 * {@link Hold}, never a node.
 *
 * <pre>
 *   Implementation overview: the life of a node
 *
 *                       append (under queueLock)
 *                              |
 *                              v
 *                         +---------+   grant (under queueLock: permits taken, node unlinked)
 *                         | QUEUED  | ------------------------------------------------+
 *                         +---------+                                                 |
 *                              |                                                      v
 *                              | withdraw: cancel / timeout / interrupt /        +---------+  wake(), outside
 *                              | abandon (under queueLock: node unlinked)        | GRANTED |  queueLock: unpark,
 *                              v                                                 +---------+  or deliver the guard
 *                         +-----------+
 *                         | WITHDRAWN |
 *                         +-----------+
 * </pre>
 *
 * <p>A node is QUEUED exactly while it is linked into the queue, and both ways out (grant and
 * withdraw) unlink it under the engine's queueLock, so exactly one of them happens: a withdraw
 * that finds the node unlinked has lost and must leave the grant to stand (or release it). A node
 * granted without ever being queued is never linked, so a withdraw of it loses too.
 */
abstract class Waiter {

    /**
     * Queue links, read and written only under the engine's queueLock while the node is queued
     * ({@code prev == null} and not the head means: not queued). Once granted, {@code next} chains
     * the batch of nodes that one hand-off wakes, and then a {@link DeliveryTrampoline}'s pending
     * list; it is owned by the single thread doing that.
     */
    Waiter prev;
    Waiter next;

    /** {@link System#nanoTime()} when appended. Written under queueLock before the node is linked. */
    long enqueuedAt;

    /** @return the permits this acquisition needs; constant while the node is queued */
    abstract int permits();

    /**
     * Marks the node granted. Called under queueLock, once, by the granting thread, after the
     * node was unlinked and the state word holding its grant was written: whoever sees the mark
     * also sees the hold in the state (a timed waiter may look without being woken).
     *
     * @param generation the acquisition count the grant wrote (identifies an exclusive hold)
     */
    abstract void markGranted(int generation);

    /**
     * Tells the acquirer that it has been granted. Called once, after {@link #markGranted(int)},
     * outside the queueLock, by the granting thread, which has entered its
     * {@link DeliveryTrampoline} if the node is async. Must not throw.
     */
    abstract void wake();
}
