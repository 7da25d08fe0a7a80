package dev.asynclocks.internal;

import dev.asynclocks.Guard;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The timeout of one queued {@code acquire(Duration)}: a private future that only the JDK's
 * {@link CompletableFuture#orTimeout} timer can fail, so a failure of it is always the lock's own
 * timeout, never something a caller did to the stage it was given (a caller's
 * {@code completeExceptionally(new TimeoutException())} is a cancellation).
 *
 * <p>Implementation overview: {@link #start} arms {@code orTimeout} on this future and registers
 * it on the acquisition. When the timer fires it fails this future, and that failure times the
 * acquisition out ({@link Acquisition#timeOut()}: withdrawn unless the grant won). When the
 * acquisition completes first, in any way, completing this future cancels the scheduled timer
 * task, so nothing stays scheduled for a long timeout. Only the timer thread and the
 * acquisition's completion touch this future.
 */
final class AcquisitionTimer extends CompletableFuture<Void> implements BiConsumer<Guard, Throwable> {

    /** The acquisition to time out. Final. */
    private final Acquisition acquisition;

    private AcquisitionTimer(Acquisition acquisition) {
        this.acquisition = acquisition;
    }

    /** Times {@code acquisition} out after {@code nanos} unless it completes first. */
    static void start(Acquisition acquisition, long nanos) {
        AcquisitionTimer timer = new AcquisitionTimer(acquisition);
        timer.orTimeout(nanos, TimeUnit.NANOSECONDS);
        acquisition.whenComplete(timer);
    }

    /** Called by orTimeout's timer thread when the time is up, and by nothing else. */
    @Override
    public boolean completeExceptionally(Throwable timeUp) {
        boolean fired = super.completeExceptionally(timeUp);
        if (fired) {
            acquisition.timeOut();
        }
        return fired;
    }

    /** The acquisition completed (granted, withdrawn, or timed out): the timer task is cancelled. */
    @Override
    public void accept(Guard guard, Throwable failure) {
        super.complete(null);
    }
}
