package dev.asynclocks.zookeeper;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bounded waiting for observable state. Never a sleep used as synchronization: every wait polls a
 * condition that the code under test makes true; the bound only turns a hang into a failure.
 */
final class Await {

    /** Generous: several session timeouts of the tests plus a margin for a loaded 2-core machine. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, LIMIT, condition);
    }

    static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up after " + limit + " waiting until " + what);
            }
            LockSupport.parkNanos(2_000_000); // back off while polling; not a synchronization
        }
    }

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

    static Throwable failure(CompletionStage<?> stage) {
        try {
            Object v = stage.toCompletableFuture().get(LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        } catch (TimeoutException e) {
            throw new AssertionError("stage did not complete within " + LIMIT + ": " + stage);
        }
    }
}
