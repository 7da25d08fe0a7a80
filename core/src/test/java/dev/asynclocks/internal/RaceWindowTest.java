package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the engine's race windows that random interleavings rarely reach, forced every time
 * with a {@link RacePause} at a {@link RacePoint}. Each test stops one thread between two steps of
 * the engine, lets another thread change what the second step will find, and checks the outcome:
 * nothing lost, nothing granted twice, FIFO kept.
 */
class RaceWindowTest {

    private static HandOffSemaphore engine(int permits, RacePause pause) {
        return new HandOffSemaphore("AsyncSemaphore", permits, LockOptions.DEFAULT, pause);
    }

    @Test
    void theQueueEmptiesWhileAReleaseWaitsForTheQueueLock() throws Throwable {
        RacePause pause = new RacePause(RacePoint.RELEASE_BEFORE_QUEUE_LOCK);
        HandOffSemaphore engine = engine(1, pause);
        Guard holder = engine.tryAcquire(1).orElseThrow();
        CompletableFuture<Guard> waiter = engine.acquire(1).toCompletableFuture();

        pause.start(holder::release); // saw the waiter, not yet in the queue lock
        assertTrue(waiter.cancel(false), "the waiter was still queued");
        assertEquals(0, engine.queueLength());
        pause.finish();

        assertTrue(holder.isReleased());
        assertTrue(engine.isFree(), "the permit came back although the queue emptied meanwhile");
        engine.tryAcquire(1).orElseThrow().release();
        assertTrue(engine.isFree());
    }

    @Test
    void aNewWaiterArrivingWhileAReleaseWaitsForTheQueueLockIsGranted() throws Throwable {
        RacePause pause = new RacePause(RacePoint.RELEASE_BEFORE_QUEUE_LOCK);
        HandOffSemaphore engine = engine(1, pause);
        Guard holder = engine.tryAcquire(1).orElseThrow();
        CompletableFuture<Guard> first = engine.acquire(1).toCompletableFuture();

        pause.start(holder::release);
        assertTrue(first.cancel(false));
        CompletableFuture<Guard> second = engine.acquire(1).toCompletableFuture(); // queues: the permit is still held
        assertFalse(second.isDone());
        pause.finish();

        Guard granted = second.getNow(null);
        assertTrue(granted != null && !granted.isReleased(), "the release granted the waiter that came meanwhile");
        granted.release();
        assertTrue(engine.isFree());
    }

    @Test
    void anAcquisitionIsAdmittedOnItsReCheckUnderTheQueueLock() throws Throwable {
        RacePause pause = new RacePause(RacePoint.ENQUEUE_UNDER_QUEUE_LOCK);
        HandOffSemaphore engine = engine(1, pause);
        Guard holder = engine.tryAcquire(1).orElseThrow();
        AtomicReference<CompletableFuture<Guard>> stage = new AtomicReference<>();

        pause.start(() -> stage.set(engine.acquire(1).toCompletableFuture())); // fast path failed
        holder.release(); // nobody waits yet: a lock-free return, while the acquirer holds the queue lock
        pause.finish();

        Guard granted = stage.get().getNow(null);
        assertTrue(granted != null && !granted.isReleased(), "admitted at once on the re-check");
        assertEquals(0, engine.queueLength());
        assertEquals(0, engine.stats().contendedAcquisitions(), "it never waited in the queue");
        granted.release();
        assertTrue(engine.isFree());
    }

    @Test
    void aParkedAcquisitionIsAdmittedOnItsReCheckUnderTheQueueLock() throws Throwable {
        RacePause pause = new RacePause(RacePoint.ENQUEUE_UNDER_QUEUE_LOCK);
        HandOffSemaphore engine = engine(1, pause);
        Guard holder = engine.tryAcquire(1).orElseThrow();
        AtomicReference<Guard> guard = new AtomicReference<>();

        pause.start(() -> guard.set(engine.lock(1)));
        holder.release();
        pause.finish(); // returns without parking: granted on the re-check

        assertFalse(guard.get().isReleased());
        guard.get().release();
        assertTrue(engine.isFree());
    }

    @Test
    void aTakeWhoseCasLosesRetriesWithTheNewState() throws Throwable {
        RacePause pause = new RacePause(RacePoint.BEFORE_TAKE_CAS);
        HandOffSemaphore engine = engine(2, pause);
        AtomicReference<Optional<Guard>> stopped = new AtomicReference<>();

        pause.start(() -> stopped.set(engine.tryAcquire(1))); // saw 2 free
        Guard other = engine.tryAcquire(1).orElseThrow(); // its CAS lands first
        pause.finish();

        assertTrue(stopped.get().isPresent(), "retried and took the second permit");
        assertEquals(0, engine.availablePermits());
        other.release();
        stopped.get().orElseThrow().release();
        assertTrue(engine.isFree());
    }

    @Test
    void aTakeWhoseCasLosesTheLastPermitFails() throws Throwable {
        RacePause pause = new RacePause(RacePoint.BEFORE_TAKE_CAS);
        HandOffSemaphore engine = engine(1, pause);
        AtomicReference<Optional<Guard>> stopped = new AtomicReference<>();

        pause.start(() -> stopped.set(engine.tryAcquire(1))); // saw 1 free
        Guard other = engine.tryAcquire(1).orElseThrow();
        pause.finish();

        assertTrue(stopped.get().isEmpty(), "the permit it saw was taken: no guard, nothing taken");
        assertEquals(0, engine.availablePermits());
        other.release();
        assertTrue(engine.isFree());
    }

    @Test
    void aReleaseWhoseCasLosesRetriesAndReturnsItsPermitsOnce() throws Throwable {
        RacePause pause = new RacePause(RacePoint.BEFORE_RETURN_CAS);
        HandOffSemaphore engine = engine(3, pause);
        Guard first = engine.tryAcquire(1).orElseThrow();
        Guard second = engine.tryAcquire(2).orElseThrow();

        pause.start(first::release); // saw 0 free
        second.release(); // its CAS lands first: 2 free
        pause.finish();

        assertEquals(3, engine.availablePermits(), "both returns counted, each once");
        assertTrue(engine.isFree());
    }

    @Test
    void anExclusiveReleaseWhoseCasLosesToATakeStillEndsItsOwnHoldOnly() throws Throwable {
        RacePause pause = new RacePause(RacePoint.BEFORE_RETURN_CAS);
        HandOffSemaphore engine = engine(3, pause);
        Guard all = engine.tryAcquire(3).orElseThrow(); // exclusive: released by a generation-checked CAS
        Guard downgraded = engine.downgrade(all, 3, 2); // the write hold ends; 1 permit comes free

        pause.start(downgraded::release); // a 2-permit hold, about to CAS
        Guard taker = engine.tryAcquire(1).orElseThrow(); // changes the state first
        pause.finish();

        assertFalse(taker.isReleased());
        assertEquals(2, engine.availablePermits());
        taker.release();
        assertTrue(engine.isFree());
        assertTrue(all.isReleased());
    }

    @Test
    void aCancelWaitingForTheQueueLockLosesToTheGrantMadeMeanwhile() throws Throwable {
        RacePause pause = new RacePause(RacePoint.WITHDRAW_BEFORE_QUEUE_LOCK);
        HandOffSemaphore engine = engine(1, pause);
        Guard holder = engine.tryAcquire(1).orElseThrow();
        CompletableFuture<Guard> waiter = engine.acquire(1).toCompletableFuture();
        AtomicReference<Boolean> cancelled = new AtomicReference<>();

        pause.start(() -> cancelled.set(waiter.cancel(false))); // about to withdraw
        holder.release(); // grants the waiter first
        pause.finish();

        assertFalse(cancelled.get(), "the grant decided: the cancel lost");
        Guard granted = waiter.getNow(null);
        assertSame(waiter.join(), granted);
        assertFalse(granted.isReleased(), "the waiter holds the lock");
        assertEquals(0, engine.stats().cancellations());
        granted.release();
        assertTrue(engine.isFree());
    }

    @Test
    void aCancelThatWinsBeforeTheReleasePassesThePermitToTheNextWaiter() throws Throwable {
        RacePause pause = new RacePause(RacePoint.RELEASE_BEFORE_QUEUE_LOCK);
        HandOffSemaphore engine = engine(2, pause);
        Guard holder = engine.tryAcquire(2).orElseThrow();
        CompletableFuture<Guard> big = engine.acquire(2).toCompletableFuture();
        CompletableFuture<Guard> small = engine.acquire(1).toCompletableFuture();
        Guard one = engine.downgrade(holder, 2, 1); // 1 free, held back for the head (needs 2)
        assertFalse(small.isDone(), "the small request does not overtake the head");

        pause.start(one::release);
        assertTrue(big.cancel(false)); // the head leaves: its withdrawal grants the small one
        assertTrue(small.isDone());
        pause.finish(); // the release then finds the small one holding, and returns its permit

        assertEquals(1, engine.availablePermits());
        small.join().release();
        assertTrue(engine.isFree());
    }
}
