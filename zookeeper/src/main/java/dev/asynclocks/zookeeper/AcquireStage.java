package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;

import java.util.concurrent.CompletableFuture;

/**
 * The stage returned by {@code acquire}: the caller's to cancel, complete or time out, routed
 * through the {@link Acquisition} so that nothing the caller does corrupts the queue.
 *
 * <p>Every completion by the caller ({@code cancel}, {@code complete}, {@code completeExceptionally},
 * and so {@code orTimeout}) first withdraws the acquisition; it only takes effect, and returns
 * {@code true}, if the withdrawal won against the grant. Once the grant is decided the caller's
 * completion returns {@code false} and the guard arrives. {@code obtrude*} abandons the hold, which
 * is released. Dependent stages are plain {@link CompletableFuture}s.
 */
final class AcquireStage extends CompletableFuture<Guard> {

    /** Written once in the constructor. */
    private final Acquisition acquisition;

    AcquireStage(Acquisition acquisition) {
        this.acquisition = acquisition;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return acquisition.withdraw() && super.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean complete(Guard value) {
        return acquisition.withdraw() && super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        return acquisition.withdraw() && super.completeExceptionally(ex);
    }

    @Override
    public void obtrudeValue(Guard value) {
        acquisition.withdraw();
        super.obtrudeValue(value);
        acquisition.abandonHold();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        acquisition.withdraw();
        super.obtrudeException(ex);
        acquisition.abandonHold();
    }

    /** Hands the granted guard to the caller; releases it if the caller obtruded something first. */
    void deliver(Guard guard) {
        if (!super.complete(guard)) {
            guard.release();
        }
    }

    /** Fails the stage after the acquisition failed (its state is already final). */
    void deliverFailure(Throwable failure) {
        super.completeExceptionally(failure);
    }
}
