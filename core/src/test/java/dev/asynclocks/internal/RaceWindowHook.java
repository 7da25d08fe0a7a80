package dev.asynclocks.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link RaceHook} for tests that force one interleaving: a test arms an action, and the next
 * grant that reaches the window {@link RacePoint#GRANT_BEFORE_PUBLISH} (its nodes unlinked, its
 * state not yet written, the engine's queue lock held) runs it, once. Unarmed, the hook does
 * nothing; it ignores every other point.
 */
final class RaceWindowHook implements RaceHook {

    /** How long a test waits for something that must happen promptly before calling it a hang. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    private final AtomicReference<Runnable> armed = new AtomicReference<>();

    /** Runs {@code action} in the next grant window, once. */
    void arm(Runnable action) {
        armed.set(action);
    }

    /** @return whether an armed action is still waiting for a window (and disarms it) */
    boolean disarm() {
        return armed.getAndSet(null) != null;
    }

    @Override
    public void at(RacePoint point) {
        if (point != RacePoint.GRANT_BEFORE_PUBLISH) {
            return;
        }
        Runnable action = armed.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    /** Polls {@code condition} until it holds; fails after {@link #LIMIT}. Never a sleep. */
    static void awaitUntil(String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > LIMIT.toNanos()) {
                fail("gave up after " + LIMIT + " waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until {@code thread} waits without a timeout: in these tests, for the engine's queue
     * lock, which the thread running the hook holds.
     */
    static void awaitBlocked(Thread thread) {
        awaitUntil(thread.getName() + " waits for the engine's lock",
                () -> thread.getState() == Thread.State.WAITING);
    }

    /** Joins {@code thread}, failing if it does not end within {@link #LIMIT}. */
    static void awaitTerminated(Thread thread) {
        if (thread.getState() == Thread.State.NEW) {
            fail(thread.getName() + " was never started: the race window was not reached");
        }
        try {
            if (!thread.join(LIMIT)) {
                thread.interrupt();
                fail(thread.getName() + " did not end within " + LIMIT + "; state " + thread.getState());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
