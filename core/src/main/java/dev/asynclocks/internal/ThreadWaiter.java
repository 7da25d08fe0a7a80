package dev.asynclocks.internal;

import java.util.concurrent.locks.LockSupport;

/** A queued acquisition made by a thread that parks until it is granted ({@code lock()}). */
final class ThreadWaiter extends Waiter {

    /** The parked acquirer. Final; written by the constructor. */
    private final Thread thread;

    ThreadWaiter(int permits, Thread thread) {
        super(permits);
        this.thread = thread;
    }

    @Override
    void wake() {
        LockSupport.unpark(thread);
    }
}
