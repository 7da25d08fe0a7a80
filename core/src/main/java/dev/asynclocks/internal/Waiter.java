package dev.asynclocks.internal;

/**
 * A node of the wait queue of {@link HandOffSemaphore}: one acquisition that could not be granted
 * at once. Never leaves the {@code internal} package: callers get an {@link Acquisition} or a
 * {@link Hold}, never a node.
 *
 * <pre>
 *   Implementation overview: the life of a node
 *
 *              enqueue (under queueLock)
 *                   |
 *                   v
 *              +---------+   grant (under queueLock: permits taken, node unlinked)  +---------+
 *              | WAITING | -------------------------------------------------------> | GRANTED |
 *              +---------+                                                          +---------+
 *                   |                                                                    |
 *                   | cancel / timeout / interrupt / abandon                             | wake(): unpark the
 *                   | (under queueLock: node unlinked)                                   | thread, or deliver
 *                   v                                                                    | the guard, outside
 *              +-----------+                                                             | queueLock
 *              | CANCELLED |                                                             v
 *              +-----------+
 * </pre>
 *
 * <p>Both transitions out of {@code WAITING} happen under the engine's {@code queueLock}, so
 * exactly one of them happens: a cancel that finds the node {@code GRANTED} has lost and must
 * leave the grant to stand (or release it).
 */
abstract class Waiter {

    static final int WAITING = 0;
    static final int GRANTED = 1;
    static final int CANCELLED = 2;

    /** Permits this acquisition needs. Final; written by the constructor. */
    final int permits;

    /**
     * {@code WAITING}, {@code GRANTED} or {@code CANCELLED}. Written only under the engine's
     * queueLock; volatile because a parked thread reads it without that lock, and its volatile read
     * of {@code GRANTED} is what makes the releaser's writes visible to the new holder.
     */
    volatile int status;

    /**
     * Queue links, read and written only under the engine's queueLock while the node is queued.
     * Once granted, {@code next} chains the batch of nodes that one hand-off wakes; it is then owned
     * by the single thread that dispatches the batch.
     */
    Waiter prev;
    Waiter next;

    Waiter(int permits) {
        this.permits = permits;
    }

    /**
     * Tells the acquirer that it has been granted. Called once, after {@code status} became
     * {@code GRANTED}, outside the queueLock. Must not throw.
     */
    abstract void wake();
}
