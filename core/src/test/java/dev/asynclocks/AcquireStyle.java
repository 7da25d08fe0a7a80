package dev.asynclocks;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Every way to acquire an {@link AsyncLock}, each turned into a stage of the {@link Guard}, so that
 * one test covers them all. The parked styles run {@code lock()} on a new virtual thread.
 */
enum AcquireStyle {
    TRY(false) {
        @Override
        CompletionStage<Guard> start(AsyncLock lock) {
            return CompletableFuture.completedFuture(lock.tryAcquire().orElseThrow(
                    () -> new AssertionError("tryAcquire failed on a free lock")));
        }
    },
    ACQUIRE(true) {
        @Override
        CompletionStage<Guard> start(AsyncLock lock) {
            return lock.acquire();
        }
    },
    ACQUIRE_TIMED(true) {
        @Override
        CompletionStage<Guard> start(AsyncLock lock) {
            return lock.acquire(Duration.ofHours(1));
        }
    },
    ACQUIRE_ZERO_TIMEOUT(false) {
        @Override
        CompletionStage<Guard> start(AsyncLock lock) {
            return lock.acquire(Duration.ZERO);
        }
    },
    LOCK(true) {
        @Override
        CompletionStage<Guard> start(AsyncLock lock) {
            return inVirtualThread(lock::lock);
        }
    },
    LOCK_TIMED(true) {
        @Override
        CompletionStage<Guard> start(AsyncLock lock) {
            return inVirtualThread(() -> lock.lock(Duration.ofHours(1)));
        }
    },
    LOCK_ZERO_TIMEOUT(false) {
        @Override
        CompletionStage<Guard> start(AsyncLock lock) {
            return inVirtualThread(() -> lock.lock(Duration.ZERO));
        }
    },
    WITH_LOCK(true) {
        @Override
        CompletionStage<Guard> start(AsyncLock lock) {
            CompletableFuture<Guard> granted = new CompletableFuture<>();
            CompletionStage<Void> result = lock.withLock(() -> {
                ActionGuard guard = new ActionGuard(new CompletableFuture<>());
                granted.complete(guard);
                return guard.body();
            });
            result.whenComplete((v, failure) -> {
                if (failure != null) {
                    granted.completeExceptionally(failure);
                }
            });
            return granted;
        }
    };

    /** Whether this style can wait in the queue (else it only succeeds on a free lock). */
    final boolean canWait;

    AcquireStyle(boolean canWait) {
        this.canWait = canWait;
    }

    /** Starts an acquisition of {@code lock}; the stage completes with its guard. */
    abstract CompletionStage<Guard> start(AsyncLock lock);

    /** Runs {@code acquisition} on a new virtual thread; the stage completes with its outcome. */
    static CompletableFuture<Guard> inVirtualThread(Callable<Guard> acquisition) {
        CompletableFuture<Guard> outcome = new CompletableFuture<>();
        Thread.ofVirtual().name("locker").start(() -> {
            try {
                outcome.complete(acquisition.call());
            } catch (Throwable failure) {
                outcome.completeExceptionally(failure);
            }
        });
        return outcome;
    }

    /**
     * The "guard" of a {@code withLock} section: releasing it completes the action's stage, which
     * makes {@code withLock} release the real hold.
     */
    record ActionGuard(CompletableFuture<Void> body) implements Guard {
        @Override
        public void release() {
            body.complete(null);
        }

        @Override
        public boolean isReleased() {
            return body.isDone();
        }
    }
}
