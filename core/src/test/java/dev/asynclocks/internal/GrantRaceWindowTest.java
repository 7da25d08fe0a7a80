package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Completions from outside that meet a grant half-way, forced with the {@link RaceWindowHook}
 * instead of hoped for: the grant decides. A caller's cancel (or complete) that finds its node
 * still queued, then waits for the engine's lock while that very node is being granted, loses
 * when it gets the lock, even though the guard has not arrived yet: it returns {@code false} and
 * the guard arrives. (A guard released on another thread while its own continuation still runs:
 * {@link DeliveryLoopHintTest}.)
 */
class GrantRaceWindowTest {

    /** The caller's ways to complete a stage that withdraw a queued acquisition. */
    enum Completion {
        CANCEL(f -> f.cancel(false)),
        COMPLETE(f -> f.complete(null)),
        COMPLETE_EXCEPTIONALLY(f -> f.completeExceptionally(new IllegalStateException("caller gave up")));

        private final Predicate<CompletableFuture<Guard>> action;

        Completion(Predicate<CompletableFuture<Guard>> action) {
            this.action = action;
        }
    }

    @ParameterizedTest
    @EnumSource(Completion.class)
    void aCompletionThatWaitedForTheQueueLockWhileItsNodeWasGrantedLoses(Completion completion) throws Exception {
        RaceWindowHook hook = new RaceWindowHook();
        // Deliveries wait in this queue until the test runs them: the caller's completion is
        // decided while the granted guard is still on its way, every time.
        Queue<Runnable> deliveries = new ConcurrentLinkedQueue<>();
        HandOffSemaphore engine = new HandOffSemaphore("AsyncMutex", 1,
                new LockOptions(null, deliveries::add, Integer.MAX_VALUE), hook);
        Guard holder = engine.tryAcquire(1).orElseThrow();
        CompletableFuture<Guard> waiter = engine.acquire(1).toCompletableFuture();

        CompletableFuture<Boolean> completed = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().name("caller-" + completion).unstarted(
                () -> completed.complete(completion.action.test(waiter)));
        hook.arm(() -> {
            caller.start();
            RaceWindowHook.awaitBlocked(caller); // saw its node queued, waits to withdraw it
        });
        holder.release(); // grants the waiter

        RaceWindowHook.awaitTerminated(caller);
        assertFalse(completed.get(RaceWindowHook.LIMIT.toNanos(), TimeUnit.NANOSECONDS),
                completion + " after the grant must lose");
        assertFalse(waiter.isDone(), "the guard is still on its way");
        assertEquals(1, deliveries.size());
        deliveries.poll().run();
        assertTrue(waiter.isDone() && !waiter.isCompletedExceptionally(), "the guard arrived: " + waiter);
        Guard granted = waiter.join();
        assertSame(waiter, granted, "the acquisition is its own guard");
        assertFalse(granted.isReleased());
        assertTrue(engine.isHeldExclusively());
        granted.release();
        assertTrue(engine.isFree(), engine.toString());
    }

    @Test
    void reassertingItsOwnGuardAbandonsNothing() {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncMutex", 1, LockOptions.DEFAULT);
        CompletableFuture<Guard> atOnce = engine.acquire(1).toCompletableFuture();
        Guard guard = atOnce.join();
        atOnce.obtrudeValue(guard);
        assertFalse(guard.isReleased(), "a stage granted at once keeps its hold: " + atOnce);

        CompletableFuture<Guard> queued = engine.acquire(1).toCompletableFuture();
        guard.release();
        Guard handedOff = queued.join();
        queued.obtrudeValue(handedOff);
        assertFalse(handedOff.isReleased(), "a stage granted by a hand-off keeps its hold: " + queued);
        assertTrue(engine.isHeldExclusively());
        handedOff.release();
        assertTrue(engine.isFree(), engine.toString());
    }
}
