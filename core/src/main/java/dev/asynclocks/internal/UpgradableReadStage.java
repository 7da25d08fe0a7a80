package dev.asynclocks.internal;

import dev.asynclocks.Guard;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The stage of an async upgradable read acquisition: completes with the {@link UpgradableHold}
 * that takes over the engine's guard once the engine's acquisition (its {@code inner} stage) is
 * granted.
 *
 * <p>Implementation overview: the caller only ever sees this stage, never {@code inner}, so the
 * engine's acquisition keeps its rules. Every way to complete this stage from outside (cancel,
 * complete, completeExceptionally, and the timeouts and completeAsync that call them) first
 * cancels {@code inner}: if that withdraws it (not yet granted), the caller's completion goes
 * ahead; if not, the grant won and the caller's completion loses, as on the engine's own stage.
 * An obtrude always takes effect, and releases the hold if there is or will be one. A
 * {@link CancellationException} from {@code inner} can only come from this stage's own cancel, so
 * it is not copied here (the caller's completion is what this stage completes with).
 */
final class UpgradableReadStage extends CompletableFuture<Guard> {

    private final CompletableFuture<Guard> inner;

    /** The hold delivered to this stage, once made; for an obtrude to release. */
    private volatile UpgradableHold delivered;

    UpgradableReadStage(CompletableFuture<Guard> inner, UpgradableReadLock lock) {
        this.inner = inner;
        inner.whenComplete((guard, failure) -> {
            if (failure != null) {
                if (!(failure instanceof CancellationException)) {
                    super.completeExceptionally(failure); // a timeout, a close, a rejection
                }
                return;
            }
            UpgradableHold hold = lock.adopt(guard);
            delivered = hold;
            if (!super.complete(hold)) {
                hold.release(); // obtruded meanwhile: the hold is abandoned
            }
        });
    }

    /**
     * @return whether the caller's completion may go ahead: this stage is done already (and the
     *         completion decides by itself, as on any CompletableFuture), or {@code inner} was
     *         withdrawn before its grant
     */
    private boolean grantLost() {
        return isDone() || inner.cancel(false);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return grantLost() && super.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean complete(Guard value) {
        return grantLost() && super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        return grantLost() && super.completeExceptionally(failure);
    }

    @Override
    public void obtrudeValue(Guard value) {
        inner.cancel(false);
        super.obtrudeValue(value);
        releaseDelivered(value);
    }

    @Override
    public void obtrudeException(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        inner.cancel(false);
        super.obtrudeException(failure);
        releaseDelivered(null);
    }

    private void releaseDelivered(Guard kept) {
        UpgradableHold hold = delivered;
        if (hold != null && hold != kept) {
            hold.release();
        }
    }

    @Override
    public CompletableFuture<Guard> completeAsync(Supplier<? extends Guard> supplier, Executor executor) {
        return CallerCompletion.completeAsync(this, supplier, executor);
    }

    @Override
    public String toString() {
        return "UpgradableReadStage[" + super.toString() + "]";
    }
}
