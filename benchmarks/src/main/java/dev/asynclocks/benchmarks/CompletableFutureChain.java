package dev.asynclocks.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@link AsyncChain} on a lock whose acquisitions are {@link CompletableFuture}s of a hold, released
 * by the hold: ours ({@link AsyncMutexChain}) and IBM's ({@link IbmLockChain}). A subclass says how
 * to acquire and how to release.
 *
 * @param <H> the hold an acquisition grants
 */
abstract class CompletableFutureChain<H> extends AsyncChain implements Consumer<H> {

    CompletableFutureChain(Run run) {
        super(run);
    }

    /** @return a new acquisition */
    abstract CompletableFuture<H> acquire();

    abstract void release(H hold);

    @Override
    final boolean sectionNowOrLater() {
        CompletableFuture<H> acquisition = acquire();
        if (!acquisition.isDone()) {
            acquisition.thenAccept(this);
            return false;
        }
        locked(acquisition.join());
        return true;
    }

    /** Continuation of a queued acquisition. */
    @Override
    public final void accept(H hold) {
        locked(hold);
        next();
    }

    private void locked(H hold) {
        try {
            section();
        } finally {
            release(hold);
        }
    }
}
