package dev.asynclocks.zookeeper;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/** The {@link FencedGuard} of a granted {@link Acquisition}: what the caller holds. */
final class Hold implements FencedGuard {

    /** Written once in the constructor. */
    private final Acquisition acquisition;
    /** Set once, by the first {@link #release()}. */
    private final AtomicBoolean released = new AtomicBoolean();
    /** Completed once, by {@link #markLost}, unless released first. */
    private final CompletableFuture<Loss> lost = new CompletableFuture<>();

    Hold(Acquisition acquisition) {
        this.acquisition = acquisition;
    }

    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            acquisition.release();
        }
    }

    @Override
    public boolean isReleased() {
        return released.get();
    }

    @Override
    public long fencingToken() {
        return acquisition.fencingToken();
    }

    @Override
    public CompletionStage<Loss> lost() {
        return lost.copy();
    }

    void markLost(Loss reason) {
        if (!released.get()) {
            lost.complete(reason);
        }
    }

    @Override
    public String toString() {
        return "FencedGuard[" + acquisition.describeNode() + ", token " + fencingToken()
                + (released.get() ? ", released" : "") + (lost.isDone() ? ", lost: " + lost.join() : "") + "]";
    }
}
