package dev.asynclocks.internal;

/**
 * A queued {@code acquire(Duration)}: an {@link AsyncWaiter} with a deadline, which the engine's
 * {@link DeadlineTimer} walk compares with the clock. 40 bytes with compressed pointers.
 */
final class TimedAsyncWaiter extends AsyncWaiter {

    /** The {@link System#nanoTime()} at which the acquisition times out. Final. */
    private final long deadline;

    TimedAsyncWaiter(Acquisition acquisition, long deadline) {
        super(acquisition);
        this.deadline = deadline;
    }

    /** @return the {@link System#nanoTime()} at which this acquisition times out */
    long deadline() {
        return deadline;
    }
}
