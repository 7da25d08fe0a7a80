package dev.asynclocks.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link RaceHook} that stops one thread, the first time it reaches one {@link RacePoint}, until
 * the test lets it go; every other thread and point passes. Every wait is bounded.
 *
 * {@snippet :
 * RacePause pause = new RacePause(RacePoint.RELEASE_BEFORE_QUEUE_LOCK);
 * HandOffSemaphore engine = new HandOffSemaphore("AsyncMutex", 1, LockOptions.DEFAULT, pause);
 * Thread releaser = pause.start(holder::release); // runs until it is stopped at the point
 * // ... act while the releaser sits in the window ...
 * pause.finish(); // resumes it, waits for it to end, rethrows what it threw
 * }
 */
final class RacePause implements RaceHook {

    private static final long BOUND_SECONDS = 30;

    private final RacePoint point;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile Thread target;
    private volatile Throwable failure;

    RacePause(RacePoint point) {
        this.point = point;
    }

    @Override
    public void at(RacePoint reached) {
        if (reached != point || Thread.currentThread() != target || !used.compareAndSet(false, true)) {
            return;
        }
        arrived.countDown();
        try {
            if (!resumed.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never resumed the thread stopped at " + point);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopped at " + point, e);
        }
    }

    /**
     * Runs {@code action} on a new platform thread, which is stopped at the point, and returns once
     * it is there.
     */
    Thread start(ThrowingRunnable action) {
        Thread thread = Thread.ofPlatform().name("stopped-at-" + point).unstarted(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                failure = e;
            }
        });
        target = thread;
        thread.start();
        try {
            if (!arrived.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                fail("the thread never reached " + point + " (failure: " + failure + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted", e);
        }
        return thread;
    }

    /** Lets the stopped thread go on. */
    void resume() {
        resumed.countDown();
    }

    /** Resumes the thread and waits for its action to end; rethrows what it threw. */
    void finish() throws Throwable {
        resume();
        Thread thread = target;
        thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertTrue(!thread.isAlive(), "the action stopped at " + point + " did not end");
        if (failure != null) {
            throw failure;
        }
    }

    /** An action that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Throwable;
    }
}
