package dev.asynclocks.internal;

/**
 * A queued {@code acquire(Duration)}: an {@link Acquisition} with a deadline, which the engine's
 * {@link DeadlineTimer} walk compares with the clock. 56 bytes with compressed pointers. Extended
 * by {@link UpgradeAcquisition}, whose deadline may be {@link #NO_DEADLINE}.
 */
class TimedAcquisition extends Acquisition {

    /** The deadline of an acquisition that never times out; the expiry walk skips it. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    /** The {@link System#nanoTime()} at which the acquisition times out. Final. */
    private final long deadline;

    TimedAcquisition(HandOffSemaphore owner, int permits, long deadline) {
        super(owner, permits);
        this.deadline = deadline;
    }

    /** @return the {@link System#nanoTime()} at which this acquisition times out */
    long deadline() {
        return deadline;
    }
}
