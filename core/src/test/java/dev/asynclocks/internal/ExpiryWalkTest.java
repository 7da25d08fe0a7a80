package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's expiry walk ({@link HandOffSemaphore#expireDue}), driven with chosen clock values
 * instead of waiting for the {@link DeadlineTimer}: which queued timed acquisitions expire at a
 * given instant (a deadline is due at that very nanosecond, not a nanosecond before), that untimed
 * ones never do, that the expired fail oldest first, that the departure of the head lets in whom it
 * held back, and which deadline the walk reports for the timer to arm next. The timeouts are
 * minutes long, so the real timer never fires during the test.
 */
class ExpiryWalkTest {

    private static final Duration LONG = Duration.ofMinutes(10);

    @Test
    void theWalkExpiresExactlyTheDueTimedAcquisitionsOldestFirstAndReportsTheNextDeadline() {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncSemaphore", 2, LockOptions.DEFAULT);
        Guard holder = engine.tryAcquire(2).orElseThrow();
        List<String> failedInOrder = new CopyOnWriteArrayList<>();
        TimedAcquisition head = timed(engine, 2, LONG, "head", failedInOrder);
        CompletableFuture<Guard> untimed = engine.acquire(1).toCompletableFuture();
        TimedAcquisition later = timed(engine, 1, LONG.multipliedBy(3), "later", failedInOrder);
        TimedAcquisition sooner = timed(engine, 1, LONG.multipliedBy(2), "sooner", failedInOrder);
        long headDue = head.deadline();
        long soonerDue = sooner.deadline();
        long laterDue = later.deadline();
        assertTrue(headDue < soonerDue && soonerDue < laterDue, "deadlines in the order the test needs");
        assertEquals(4, engine.queueLength());

        assertEquals(headDue, engine.expireDue(headDue - 1), "nothing due yet: the earliest deadline");
        assertEquals(4, engine.queueLength());
        assertEquals(List.of(), failedInOrder);

        Guard read = engine.downgrade(holder, 2, 1); // one permit free, held back for the head
        assertFalse(untimed.isDone(), "no barging past the head");

        assertEquals(soonerDue, engine.expireDue(headDue), "due at its deadline; the earliest left is reported");
        assertEquals(List.of("head"), failedInOrder);
        assertTimedOut(engine, head);
        assertTrue(untimed.isDone() && !untimed.join().isReleased(), "the head's departure let the next one in");
        assertFalse(sooner.isDone() || later.isDone());
        assertEquals(2, engine.queueLength());

        assertEquals(Long.MAX_VALUE, engine.expireDue(laterDue), "nothing timed left");
        assertEquals(List.of("head", "later", "sooner"), failedInOrder, "failed in queue order");
        assertTimedOut(engine, later);
        assertTimedOut(engine, sooner);
        assertEquals(0, engine.queueLength());
        assertEquals(3, engine.stats().timeouts());

        assertEquals(Long.MAX_VALUE, engine.expireDue(laterDue), "an empty queue: nothing to arm");
        untimed.join().release();
        read.release();
        assertTrue(engine.isFree(), engine.toString());
    }

    @Test
    void anUntimedAcquisitionNeverExpiresAndAnExpiredMiddleLeavesTheHeadWaiting() {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncMutex", 1, LockOptions.DEFAULT);
        Guard holder = engine.tryAcquire(1).orElseThrow();
        CompletableFuture<Guard> untimedHead = engine.acquire(1).toCompletableFuture();
        TimedAcquisition middle = timed(engine, 1, LONG, "middle", new CopyOnWriteArrayList<>());
        CompletableFuture<Guard> untimedTail = engine.acquire(1).toCompletableFuture();

        assertEquals(Long.MAX_VALUE, engine.expireDue(middle.deadline() + LONG.toNanos()));
        assertTimedOut(engine, middle);
        assertFalse(untimedHead.isDone() || untimedTail.isDone(), "untimed acquisitions never expire");
        assertEquals(2, engine.queueLength());

        holder.release();
        Guard first = untimedHead.join();
        assertFalse(untimedTail.isDone(), "FIFO kept around the hole");
        first.release();
        untimedTail.join().release();
        assertTrue(engine.isFree(), engine.toString());
    }

    private static TimedAcquisition timed(HandOffSemaphore engine, int permits, Duration timeout, String name,
                                          List<String> failedInOrder) {
        CompletableFuture<Guard> stage = engine.acquire(permits, timeout).toCompletableFuture();
        assertFalse(stage.isDone(), name + " is queued");
        stage.whenComplete((guard, failure) -> {
            if (failure != null) {
                failedInOrder.add(name);
            }
        });
        return assertInstanceOf(TimedAcquisition.class, stage, "a queued acquire(Duration)");
    }

    private static void assertTimedOut(HandOffSemaphore engine, CompletableFuture<Guard> stage) {
        assertTrue(stage.isCompletedExceptionally(), stage.toString());
        Throwable failure = stage.handle((guard, e) -> e).join();
        assertInstanceOf(TimeoutException.class, failure);
        assertTrue(failure.getMessage().contains(engine.describe()), failure.getMessage());
    }
}
