package dev.asynclocks.internal;

/** A queued acquisition made by {@code acquire()}: granting it completes its {@link Acquisition}. */
final class AsyncWaiter extends Waiter {

    /** The caller's stage, completed with itself (it is also the guard) when granted. Final. */
    final Acquisition acquisition;

    AsyncWaiter(int permits, Acquisition acquisition) {
        super(permits);
        this.acquisition = acquisition;
    }

    @Override
    void wake() {
        acquisition.onGranted();
    }
}
