/**
 * Fair async locks for virtual threads and {@link java.util.concurrent.CompletionStage} code.
 *
 * <ul>
 *   <li>{@link dev.asynclocks.AsyncMutex}: one holder at a time.</li>
 *   <li>{@link dev.asynclocks.AsyncRwLock}: many readers or one writer.</li>
 *   <li>{@link dev.asynclocks.AsyncSemaphore}: a weighted semaphore; the engine under both locks.
 *       {@link dev.asynclocks.AsyncSemaphore#asLock(int)} views a number of its permits as a lock.</li>
 *   <li>{@link dev.asynclocks.GuardedMutex} and {@link dev.asynclocks.GuardedRwLock}: a value owned by
 *       a lock, reachable only through functions that run inside a critical section
 *       ({@link dev.asynclocks.GuardedValue}, {@link dev.asynclocks.UpdatableValue}).</li>
 * </ul>
 *
 * <p>{@link dev.asynclocks.LockBuilder} holds the options every lock's builder has.
 *
 * <h2>The contract, once</h2>
 *
 * <p><b>Memory consistency.</b> A release (of a {@link dev.asynclocks.Guard}) happens-before every
 * acquisition that it makes possible: the next holder sees everything the previous holder wrote
 * in its critical section. A failed {@code tryAcquire} has no memory effect.
 *
 * <p><b>Fairness.</b> Acquisitions are granted in the order in which they were made: the order of
 * the {@code acquire}/{@code lock} calls that had to wait, with acquisitions that could be granted
 * at once served at once (they never overtake a waiter, because an acquisition is granted at once
 * only while nobody waits). {@code tryAcquire} never barges past a waiter. For the semaphore and
 * read-write lock, the head of the queue blocks everyone behind it until it fits: a small request
 * never overtakes a large one, and a reader never overtakes a waiting writer.
 *
 * <p><b>Cancellation.</b> An acquisition leaves the queue when its stage is cancelled (or
 * completed by the caller), when its timeout elapses, or when its parked thread is interrupted.
 * Whenever withdrawal races with a grant, exactly one wins, and a hold that nobody will ever see
 * is released at once: the lock is never lost. The stage handed to the caller is never a queue
 * node, so nothing the caller does to it corrupts the queue.
 *
 * <p><b>Threads.</b> The library starts no threads. Parked acquisitions ({@code lock()}) park the
 * calling virtual thread, never its carrier: the library uses no {@code synchronized} and no
 * {@code Object.wait}. Async timeouts use the JDK's shared {@code CompletableFuture} delay
 * scheduler.
 *
 * {@snippet :
 * AsyncMutex mutex = new AsyncMutex();
 * mutex.acquire().thenAccept(guard -> {
 *     try (guard) {
 *         System.out.println("in the critical section");
 *     }
 * });
 * }
 */
package dev.asynclocks;
