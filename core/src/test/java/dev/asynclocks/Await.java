package dev.asynclocks;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bounded waiting for observable state, for tests. Never a sleep used as synchronization: every
 * wait polls a condition that the code under test makes true, and the bound only turns a hang into
 * a failure with a message.
 */
final class Await {

    /** How long a test waits for something that should happen promptly before calling it a hang. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    private Await() {
    }

    /** Polls {@code condition} (spin, then yield, then short parks) until it holds. */
    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int polls = 0; !condition.getAsBoolean(); polls++) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up after " + LIMIT + " waiting until " + what);
            }
            if (polls < 100) {
                Thread.onSpinWait();
            } else if (polls < 1_000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(50_000); // back off while polling; not a synchronization
            }
        }
    }

    /** Waits until {@code thread} is parked (WAITING or TIMED_WAITING). */
    static void parked(Thread thread) {
        until(thread + " is parked", () -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        });
    }

    /** Waits for {@code stage} to complete and returns its value; fails on an exception or a hang. */
    static <T> T value(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(LIMIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("stage did not complete within " + LIMIT + ": " + stage);
        }
    }

    /** Waits for {@code stage} to complete, whichever way. */
    static void done(CompletionStage<?> stage) {
        until("stage completes: " + stage, () -> stage.toCompletableFuture().isDone());
    }

    /** Joins {@code thread}, failing if it does not end within the limit. */
    static void terminated(Thread thread) {
        try {
            if (!thread.join(LIMIT)) {
                fail(thread + " did not terminate within " + LIMIT + "; state " + thread.getState());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
