package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import dev.asynclocks.LockObserver;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: with no observer bound (and no JFR event or leak watch asking), the monitor asks for
 * nothing: no hold is watched, so none is timed or given a record, and an exclusive hold keeps its
 * lean one-CAS guard. Binding turns that on; unbinding turns it off again.
 */
class UnboundObserverCostTest {

    private static final LockObserver IGNORING = new LockObserver() {
        @Override
        public void waited(long nanos) {
        }

        @Override
        public void held(long nanos) {
        }
    };

    @Test
    void nothingIsWatchedOrTimedUntilAnObserverIsBound() {
        HandOffSemaphore engine = withoutLeakDetection();
        LockMonitor monitor = engine.monitor();
        for (int ticket = 0; ticket < 4096; ticket++) {
            assertFalse(monitor.wantsToWatch(ticket), "ticket " + ticket);
        }
        assertNull(monitor.watch(null, 1, 0));
        assertInstanceOf(ExclusiveHold.class, tryTakeAll(engine), "unbound: the lean guard");

        LockMonitor.bind(engine, IGNORING, 1);
        assertTrue(monitor.wantsToWatch(7));
        assertInstanceOf(Hold.class, tryTakeAll(engine), "bound, every hold: a watched guard");

        assertTrue(LockMonitor.unbind(engine, IGNORING));
        for (int ticket = 0; ticket < 4096; ticket++) {
            assertFalse(monitor.wantsToWatch(ticket), "ticket " + ticket);
        }
        assertInstanceOf(ExclusiveHold.class, tryTakeAll(engine), "unbound again: the lean guard");
    }

    @Test
    void aSampledObserverWatchesOnlyTheTicketsItSamples() {
        HandOffSemaphore engine = withoutLeakDetection();
        LockMonitor.bind(engine, IGNORING, 8);
        int watched = 0;
        for (int ticket = 1; ticket <= 64; ticket++) {
            watched += engine.monitor().wantsToWatch(ticket) ? 1 : 0;
        }
        assertEquals(8, watched, "one in 8 of 64 tickets");
    }

    private static Guard tryTakeAll(HandOffSemaphore engine) {
        Guard guard = engine.tryAcquire(1).orElseThrow();
        guard.release();
        return guard;
    }

    private static HandOffSemaphore withoutLeakDetection() {
        String previous = System.setProperty("dev.asynclocks.leakDetection", "off");
        try {
            return new HandOffSemaphore("AsyncMutex", 1, LockOptions.DEFAULT);
        } finally {
            if (previous == null) {
                System.clearProperty("dev.asynclocks.leakDetection");
            } else {
                System.setProperty("dev.asynclocks.leakDetection", previous);
            }
        }
    }
}
