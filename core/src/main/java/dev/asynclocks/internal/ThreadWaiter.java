package dev.asynclocks.internal;

import java.util.concurrent.locks.LockSupport;

/** A queued acquisition made by a thread that parks until it is granted ({@code lock()}). */
final class ThreadWaiter extends Waiter {

    /** The parked acquirer. Final. */
    private final Thread thread;

    /** Permits wanted. Final. */
    private final int permits;

    /**
     * Set once, under queueLock, by the granting thread; read by the parked thread without the lock.
     * Its volatile write and read carry the releaser's writes over to the new holder.
     */
    private volatile boolean granted;

    /** The generation of the grant (see HandOffSemaphore). Written before {@code granted}. */
    private int grantedGeneration;

    ThreadWaiter(int permits, Thread thread) {
        this.permits = permits;
        this.thread = thread;
    }

    @Override
    int permits() {
        return permits;
    }

    @Override
    void markGranted(int generation) {
        grantedGeneration = generation;
        granted = true;
    }

    boolean isGranted() {
        return granted;
    }

    /** @return the grant's generation; valid once {@link #isGranted()} returned true */
    int grantedGeneration() {
        return grantedGeneration;
    }

    @Override
    void wake() {
        LockSupport.unpark(thread);
    }
}
