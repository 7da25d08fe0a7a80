package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 11, item 2: a granted waiter only sees its grant once the state that makes it true is
 * published. Before the fix, the grant loop marked a node granted before it wrote the state word;
 * a timed waiter whose deadline fell in between returned a guard that {@code isReleased()} called
 * released, that {@code downgrade} refused, while the lock looked free.
 *
 * <p>The {@link RaceHook} stops the granting thread exactly in that window
 * ({@link RacePoint#GRANT_BEFORE_PUBLISH}), every time:
 * the waiter's deadline passes while the grant is half done. With the fix the waiter cannot see
 * its grant yet: it tries to withdraw, waits for the engine's lock, and the grant stands. Without
 * it the waiter returns at once, and its view of its own hold is wrong.
 */
class GrantPublicationTest {

    /** Long enough that the waiter is still queued when the holder releases, even on a loaded machine. */
    private static final Duration WAITER_TIMEOUT = Duration.ofSeconds(1);
    private static final long BOUND_NANOS = Duration.ofSeconds(30).toNanos();

    /** What the timed waiter saw of its own hold when {@code lock(timeout)} returned. */
    private record Seen(boolean released, boolean heldExclusively, int permitsHeld) {
    }

    @Test
    void aTimedWaiterWhoseDeadlineFallsInTheGrantSeesItsHoldInTheState() throws Exception {
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        RaceHook holdTheGrantUntilTheDeadlinePassed = point -> {
            Thread waiter = waiterThread.get();
            if (point != RacePoint.GRANT_BEFORE_PUBLISH || waiter == null) {
                return;
            }
            // Stay in the window until the waiter's deadline has passed and it has either returned
            // (it saw a grant that state does not show yet: the bug) or blocked on the engine's
            // lock to withdraw (WAITING: its timed park would show TIMED_WAITING).
            long start = System.nanoTime();
            while (waiter.getState() != Thread.State.TERMINATED && waiter.getState() != Thread.State.WAITING) {
                if (System.nanoTime() - start > BOUND_NANOS) {
                    fail("the timed waiter neither returned nor waited for the engine's lock: " + waiter.getState());
                }
                Thread.onSpinWait();
            }
        };
        HandOffSemaphore engine = new HandOffSemaphore("AsyncRwLock", 2, LockOptions.DEFAULT,
                holdTheGrantUntilTheDeadlinePassed);
        Guard holder = engine.tryAcquire(2).orElseThrow();

        CompletableFuture<Seen> seen = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().name("timed-waiter").unstarted(() -> {
            try {
                Guard guard = engine.lock(2, WAITER_TIMEOUT); // a write hold
                Seen what = new Seen(guard.isReleased(), engine.isHeldExclusively(),
                        ((PermitGuard) guard).heldPermits());
                Guard read = engine.downgrade(guard, 2, 1); // must accept the live write guard
                read.release();
                seen.complete(what);
            } catch (TimeoutException e) {
                seen.completeExceptionally(new AssertionError("timed out although the grant was under way", e));
            } catch (Throwable e) {
                seen.completeExceptionally(e);
            }
        });
        waiter.start();
        long start = System.nanoTime();
        while (engine.queueLength() != 1) {
            if (System.nanoTime() - start > BOUND_NANOS) {
                fail("the waiter never queued");
            }
            Thread.onSpinWait();
        }
        waiterThread.set(waiter);
        holder.release(); // grants the waiter, stopping in the window until its deadline passed

        Seen what = seen.get();
        assertFalse(what.released(), "isReleased() on the live guard");
        assertTrue(what.heldExclusively(), "the state did not show the waiter's write hold");
        assertEquals(2, what.permitsHeld());
        waiter.join(BOUND_NANOS / 1_000_000);
        assertTrue(engine.isFree(), "the engine ends free");
    }
}
