package dev.asynclocks;

/**
 * Proof of one hold on a lock: releasing the guard ends the hold.
 *
 * <p>A guard releases exactly once. The first {@link #release()} returns the hold to its lock (and
 * hands it to the next waiter, if any); every later call is a no-op. A guard therefore only ever
 * releases its own hold: releasing a stale guard, from an earlier hold that has already ended, never
 * frees somebody else's hold.
 *
 * <p>Guards are {@link AutoCloseable}, so a hold that does not outlive a block is written as
 * try-with-resources:
 *
 * {@snippet :
 * try (Guard guard = mutex.lock()) {
 *     counter++;               // the critical section
 * }                            // released here, also on an exception
 * }
 *
 * <p>A guard is not tied to a thread: it may be released by any thread, which is what lets a hold
 * span asynchronous work. A guard that is never released keeps its lock held forever.
 *
 * <p><b>Memory consistency effects:</b> actions before {@code release()} happen-before the actions
 * after the next successful acquisition of the permits it returned.
 */
public interface Guard extends AutoCloseable {

    /**
     * Ends this hold. The first call releases the lock (or the permits) and passes it to the next
     * waiter; later calls, from any thread, do nothing.
     *
     * <p>Never blocks and never throws. Continuations of a waiter granted by this release may run on
     * the calling thread before this method returns, unless the lock was built with an executor.
     */
    void release();

    /**
     * Tells whether this hold has ended.
     *
     * @return {@code true} once {@link #release()} (or a downgrade that consumed this guard) has run
     */
    boolean isReleased();

    /** Same as {@link #release()}; lets a guard be used in try-with-resources. Never throws. */
    @Override
    default void close() {
        release();
    }
}
