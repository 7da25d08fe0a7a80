package dev.asynclocks.internal;

/**
 * A queued acquisition made by {@code acquire()}: granting it completes its {@link Acquisition}.
 * Kept to 32 bytes (with compressed pointers: header, three links, the timestamp): the permits it
 * needs are read from the acquisition, which holds them while it waits. A timed one is a
 * {@link TimedAsyncWaiter}.
 */
class AsyncWaiter extends Waiter {

    /** The caller's stage, completed with itself (it is also the guard) when granted. Final. */
    final Acquisition acquisition;

    AsyncWaiter(Acquisition acquisition) {
        this.acquisition = acquisition;
    }

    @Override
    int permits() {
        return acquisition.pendingPermits();
    }

    @Override
    void markGranted(int generation) {
        acquisition.markGranted();
    }

    @Override
    void wake() {
        acquisition.onGranted(this);
    }
}
