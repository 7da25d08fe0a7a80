package dev.asynclocks.internal;

import dev.asynclocks.Guard;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code completeAsync} for the engine's stages ({@link Acquisition}, {@link UpgradableReadStage}):
 * {@code CompletableFuture}'s own version completes the future through an internal path that
 * would skip their overrides, so this one calls the overridden {@code complete} and
 * {@code completeExceptionally}, which decide the race with the grant.
 *
 * {@snippet :
 * return CallerCompletion.completeAsync(this, supplier, executor);
 * }
 */
final class CallerCompletion {

    private CallerCompletion() {
    }

    /** Runs {@code supplier} on {@code executor} and completes {@code stage} with its outcome. */
    static CompletableFuture<Guard> completeAsync(CompletableFuture<Guard> stage, Supplier<? extends Guard> supplier,
                                                  Executor executor) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(executor, "executor");
        executor.execute(() -> {
            Guard value;
            try {
                value = supplier.get();
            } catch (Throwable failure) {
                stage.completeExceptionally(failure);
                return;
            }
            stage.complete(value);
        });
        return stage;
    }
}
