package dev.asynclocks.stress.jcstress;

import dev.asynclocks.Guard;
import dev.asynclocks.LockClosedException;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Small helpers shared by the arbiters: what an acquisition's stage ended as, and releasing
 * whatever a test left held. Not a test.
 *
 * {@snippet :
 * boolean granted = Stages.granted(waiter);
 * Stages.releaseIfGranted(waiter);
 * }
 */
final class Stages {

    private Stages() {
    }

    /** @return the stage as a CompletableFuture (what {@code acquire()} returns is one) */
    static CompletableFuture<Guard> future(CompletionStage<Guard> stage) {
        return stage.toCompletableFuture();
    }

    /** @return whether the stage completed normally with a guard that is still held */
    static boolean granted(CompletableFuture<Guard> stage) {
        if (!stage.isDone() || stage.isCompletedExceptionally()) {
            return false;
        }
        Guard guard = stage.join();
        return guard != null && !guard.isReleased();
    }

    /**
     * Waits up to 10 seconds for a stage that a thread outside the test (the JDK's timeout
     * scheduler) may still be completing.
     *
     * @return whether the stage is done
     */
    static boolean awaitDone(CompletableFuture<Guard> stage) {
        try {
            stage.handle((guard, failure) -> null).get(10, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stage.isDone();
        } catch (java.util.concurrent.ExecutionException e) {
            return true; // unreachable: handle() never fails
        }
    }

    /** @return whether the stage failed with {@link LockClosedException} (the lock was closed) */
    static boolean failedClosed(CompletableFuture<Guard> stage) {
        if (!stage.isCompletedExceptionally()) {
            return false;
        }
        try {
            stage.join();
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof LockClosedException;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Releases the stage's guard if it was granted. */
    static void releaseIfGranted(CompletableFuture<Guard> stage) {
        if (granted(stage)) {
            stage.join().release();
        }
    }

    /** Releases the guard if there is one. */
    static void release(Optional<Guard> guard) {
        if (guard != null) {
            guard.ifPresent(Guard::release);
        }
    }

    /** @return whether there was a guard; releases it if so */
    static boolean tookAndReleased(Optional<Guard> guard) {
        release(guard);
        return guard != null && guard.isPresent();
    }
}
