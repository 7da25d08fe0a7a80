package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each kind of guard and stage says about itself in {@code toString()} (what a debugger or a
 * log line shows): the lock it belongs to and whether it waits, holds or has released, at each
 * step of its life.
 */
class GuardDescriptionTest {

    @Test
    void anExclusiveHoldSaysWhetherItHoldsTheLock() {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncMutex", 1, new LockOptions("orders", null, 10));
        Guard guard = engine.tryAcquire(1).orElseThrow();
        assertInstanceOf(ExclusiveHold.class, guard, "unwatched: the lean guard");
        assertEquals("Guard[holds all of AsyncMutex 'orders']", guard.toString());
        guard.release();
        assertEquals("Guard[released of AsyncMutex 'orders']", guard.toString());
    }

    @Test
    void aHoldSaysHowManyPermitsItHolds() {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncSemaphore", 3, new LockOptions("pool", null, 10));
        Guard guard = engine.tryAcquire(2).orElseThrow();
        assertInstanceOf(Hold.class, guard);
        assertEquals("Guard[holds 2 of AsyncSemaphore 'pool']", guard.toString());
        guard.release();
        assertEquals("Guard[released of AsyncSemaphore 'pool']", guard.toString());
    }

    @Test
    void anExclusiveGrantSaysWhetherItHoldsTheLock() {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncMutex", 1, new LockOptions("orders", null, 10));
        CompletableFuture<Guard> stage = engine.acquire(1).toCompletableFuture();
        assertInstanceOf(ExclusiveGrant.class, stage, "unwatched: the lean stage");
        assertTrue(stage.toString().startsWith("Acquisition[holds all of AsyncMutex 'orders', "), stage.toString());
        stage.join().release();
        assertTrue(stage.toString().startsWith("Acquisition[released of AsyncMutex 'orders', "), stage.toString());
    }

    @Test
    void aQueuedAcquisitionSaysWhatItWaitsForThenWhatItHolds() {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncSemaphore", 3, new LockOptions("pool", null, 10));
        Guard holder = engine.tryAcquire(3).orElseThrow();
        CompletableFuture<Guard> stage = engine.acquire(2).toCompletableFuture();
        assertInstanceOf(Acquisition.class, stage);
        assertTrue(stage.toString().startsWith("Acquisition[waiting for 2 of AsyncSemaphore 'pool', "), stage.toString());
        holder.release();
        assertTrue(stage.toString().startsWith("Acquisition[holds 2 of AsyncSemaphore 'pool', "), stage.toString());
        stage.join().release();
        assertTrue(stage.toString().startsWith("Acquisition[released of AsyncSemaphore 'pool', "), stage.toString());
    }

    @Test
    void theEngineShowsItsFreePermitsAndItsQueue() {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncSemaphore", 3, new LockOptions("pool", null, 10));
        Guard holder = engine.tryAcquire(2).orElseThrow();
        CompletableFuture<Guard> waiter = engine.acquire(2).toCompletableFuture();
        assertEquals("HandOffSemaphore[AsyncSemaphore 'pool', available=1, queued=1]", engine.toString());
        holder.release();
        waiter.join().release();
        assertEquals("HandOffSemaphore[AsyncSemaphore 'pool', available=3, queued=0]", engine.toString());
    }
}
