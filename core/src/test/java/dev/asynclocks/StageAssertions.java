package dev.asynclocks;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Step-by-step assertions on stages, in the manner of tokio's {@code assert_pending!} and
 * {@code assert_ready!}: each checks the state <em>now</em>, without waiting.
 */
final class StageAssertions {

    private StageAssertions() {
    }

    /** The stage has not completed yet. */
    static void assertPending(CompletionStage<?> stage) {
        CompletableFuture<?> future = stage.toCompletableFuture();
        assertFalse(future.isDone(), () -> "expected pending, but completed: " + future);
    }

    /** The stage has completed with a live guard; returns it. */
    static Guard assertGranted(CompletionStage<Guard> stage) {
        CompletableFuture<Guard> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), () -> "expected granted, but still pending: " + future);
        Guard guard;
        try {
            guard = future.join();
        } catch (CompletionException | CancellationException e) {
            throw new AssertionError("expected a guard, but failed with " + e, e);
        }
        assertNotNull(guard, "granted with a null guard");
        assertFalse(guard.isReleased(), "granted with a released guard");
        return guard;
    }

    /** The stage has completed successfully; returns its value. */
    static <T> T assertReady(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), () -> "expected completed, but still pending: " + future);
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            throw new AssertionError("expected a value, but failed with " + e, e);
        }
    }

    /** The stage has failed, with {@code type} (possibly wrapped in a CompletionException). */
    static <X extends Throwable> X assertFailedWith(Class<X> type, CompletionStage<?> stage) {
        CompletableFuture<?> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), () -> "expected failed, but still pending: " + future);
        assertTrue(future.isCompletedExceptionally(), () -> "expected failed, but completed: " + future);
        try {
            future.join();
        } catch (CancellationException e) {
            return assertInstanceOf(type, e);
        } catch (CompletionException e) {
            return assertInstanceOf(type, e.getCause());
        }
        return fail("unreachable");
    }
}
