package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The race windows of the engine's slow paths that no ordinary test reaches (issue 12: mutation
 * testing found engine mutants there that every test passed): a thread that found waiters on the
 * fast path and now waits for the queue lock, while the holder of that lock grants the last
 * waiter and so empties the queue. When it gets the lock, nobody waits any more: a release must
 * return its permits (or, if stale, change nothing) and an acquisition must be admitted at once,
 * as on the fast path.
 *
 * <p>The {@link RaceWindowHook} forces the interleaving every time: inside the grant (queue lock
 * held, state not yet written) it starts the other thread and waits until that thread blocks on
 * the queue lock.
 */
class QueueLockRaceWindowTest {

    @Test
    void aReleaseThatWaitedForTheQueueLockWhileTheQueueEmptiedReturnsItsPermits() throws Exception {
        RaceWindowHook hook = new RaceWindowHook();
        HandOffSemaphore engine = new HandOffSemaphore("AsyncSemaphore", 2, LockOptions.DEFAULT, hook);
        Guard first = engine.tryAcquire(1).orElseThrow();
        Guard second = engine.tryAcquire(1).orElseThrow();
        CompletableFuture<Guard> waiter = engine.acquire(1).toCompletableFuture();
        assertFalse(waiter.isDone(), "queued behind two holders");

        Thread lateReleaser = Thread.ofPlatform().name("late-releaser").unstarted(second::release);
        hook.arm(() -> {
            lateReleaser.start();
            RaceWindowHook.awaitBlocked(lateReleaser); // saw W set, waits for the queue lock
            // If the late release, finding nobody queued, still went through a grant (a write of
            // state instead of a CAS), a fast-path release racing with it would be lost: make one.
            hook.arm(() -> releaseOnAnotherThread(waiter));
        });
        first.release(); // grants the waiter, empties the queue

        RaceWindowHook.awaitTerminated(lateReleaser);
        assertTrue(waiter.isDone(), "the waiter was granted");
        if (hook.disarm()) {
            // As expected: the late release found the queue empty and returned its permit by CAS.
            assertEquals(1, engine.availablePermits(), "the late release returned its permit");
            assertEquals(0, engine.queueLength());
            waiter.join().release();
        }
        assertTrue(engine.isFree(), "every permit came back: " + engine);
    }

    @Test
    void aStaleExclusiveReleaseThatWaitedForTheQueueLockWhileTheQueueEmptiedChangesNothing() throws Exception {
        RaceWindowHook hook = new RaceWindowHook();
        HandOffSemaphore engine = new HandOffSemaphore("AsyncMutex", 1, LockOptions.DEFAULT, hook);
        Guard holder = engine.tryAcquire(1).orElseThrow();
        int firstGeneration = 1; // the first grant of an engine writes count 1
        assertTrue(engine.holdsExclusive(firstGeneration));
        // A second guard of the same hold, as a stale or repeated release from another thread sees it.
        PermitGuard stale = new ExclusiveHold(engine, firstGeneration);
        CompletableFuture<Guard> waiter = engine.acquire(1).toCompletableFuture();

        CompletableFuture<Boolean> staleEnded = new CompletableFuture<>();
        Thread staleReleaser = Thread.ofPlatform().name("stale-releaser")
                .unstarted(() -> staleEnded.complete(stale.endHold(0)));
        hook.arm(() -> {
            staleReleaser.start();
            RaceWindowHook.awaitBlocked(staleReleaser);
        });
        holder.release(); // grants the waiter the next generation, empties the queue

        RaceWindowHook.awaitTerminated(staleReleaser);
        assertFalse(staleEnded.getNow(true), "a stale release ends nothing");
        Guard granted = waiter.getNow(null);
        assertFalse(granted == null || granted.isReleased(), "the waiter holds the lock: " + waiter);
        assertTrue(engine.isHeldExclusively(), "the waiter's hold survives the stale release: " + engine);
        assertTrue(engine.tryAcquire(1).isEmpty(), "nobody else gets in");
        granted.release();
        assertTrue(engine.isFree());
    }

    /** The four ways to acquire that can queue. */
    enum Style {
        ACQUIRE, ACQUIRE_WITH_TIMEOUT, LOCK, LOCK_WITH_TIMEOUT;

        /**
         * Acquires one permit.
         *
         * @return the guard, or null if an async acquisition was not complete when the call returned
         */
        Guard acquireOne(HandOffSemaphore engine) throws Exception {
            return switch (this) {
                case ACQUIRE -> now(engine.acquire(1));
                case ACQUIRE_WITH_TIMEOUT -> now(engine.acquire(1, Duration.ofMinutes(10)));
                case LOCK -> engine.lock(1);
                case LOCK_WITH_TIMEOUT -> engine.lock(1, Duration.ofMinutes(10));
            };
        }

        private static Guard now(CompletionStage<Guard> stage) {
            return stage.toCompletableFuture().getNow(null);
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void anAcquisitionThatWaitedForTheQueueLockWhileTheQueueEmptiedIsAdmittedAtOnce(Style style) throws Exception {
        RaceWindowHook hook = new RaceWindowHook();
        HandOffSemaphore engine = new HandOffSemaphore("AsyncSemaphore", 2, LockOptions.DEFAULT, hook);
        Guard holder = engine.tryAcquire(2).orElseThrow();
        CompletableFuture<Guard> waiter = engine.acquire(1).toCompletableFuture();

        CompletableFuture<Guard> newcomerGot = new CompletableFuture<>();
        Thread newcomer = Thread.ofPlatform().name("newcomer-" + style).unstarted(() -> {
            try {
                newcomerGot.complete(style.acquireOne(engine));
            } catch (Throwable e) {
                newcomerGot.completeExceptionally(e);
            }
        });
        hook.arm(() -> {
            newcomer.start();
            RaceWindowHook.awaitBlocked(newcomer); // saw W set, waits for the queue lock
        });
        holder.release(); // grants the waiter one permit, leaves one free, empties the queue

        RaceWindowHook.awaitTerminated(newcomer); // a parked newcomer would never end: nobody releases
        Guard got = newcomerGot.get(RaceWindowHook.LIMIT.toNanos(), TimeUnit.NANOSECONDS);
        assertTrue(got != null && !got.isReleased(), style + ": admitted at once, not queued");
        assertEquals(0, engine.queueLength());
        assertEquals(0, engine.availablePermits());
        assertTrue(waiter.isDone());
        waiter.join().release();
        got.release();
        assertTrue(engine.isFree(), engine.toString());
    }

    private static void releaseOnAnotherThread(CompletableFuture<Guard> granted) {
        Thread releaser = Thread.ofPlatform().name("racing-releaser").start(() -> {
            try {
                granted.get(RaceWindowHook.LIMIT.toNanos(), TimeUnit.NANOSECONDS).release();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        RaceWindowHook.awaitTerminated(releaser);
    }
}
