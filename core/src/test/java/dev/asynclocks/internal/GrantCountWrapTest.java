package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grant count in the state word has 31 bits; {@code stats().acquisitions()} keeps counting past
 * a wrap, on the fast path and on a hand-off alike. Making 2^31 grants would take minutes, so the
 * test starts the engine one grant short of the wrap by writing its state word (the one place a
 * test here reaches into a private field: nothing else can bring the count there in time).
 */
class GrantCountWrapTest {

    private static final int COUNT_SHIFT = 33;
    private static final long LAST_COUNT = (1L << 31) - 1;

    @Test
    void theAcquisitionCountGoesOnPastAWrapOfTheGrantCount() throws Exception {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncSemaphore", 2, LockOptions.DEFAULT);
        stateOf().setVolatile(engine, (LAST_COUNT << COUNT_SHIFT) | 2L); // 2 permits free, one grant before the wrap
        assertEquals(LAST_COUNT, engine.stats().acquisitions());

        Guard fast = engine.tryAcquire(2).orElseThrow(); // the fast path wraps the count
        assertEquals(LAST_COUNT + 1, engine.stats().acquisitions(), "counted past the wrap on the fast path");

        CompletableFuture<Guard> first = engine.acquire(1).toCompletableFuture();
        CompletableFuture<Guard> second = engine.acquire(1).toCompletableFuture();
        fast.release(); // one hand-off grants both
        assertTrue(first.isDone() && second.isDone());
        assertEquals(LAST_COUNT + 3, engine.stats().acquisitions(), "and on a hand-off");
        first.join().release();
        second.join().release();
        assertTrue(engine.isFree(), engine.toString());
    }

    @Test
    void aHandOffThatWrapsTheCountIsCountedToo() throws Exception {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncSemaphore", 2, LockOptions.DEFAULT);
        Guard holder = engine.tryAcquire(1).orElseThrow(); // keeps its own count: no generation to match
        CompletableFuture<Guard> waiter = engine.acquire(2).toCompletableFuture();
        VarHandle state = stateOf();
        long s = (long) state.getVolatile(engine);
        state.setVolatile(engine, (s & ((1L << COUNT_SHIFT) - 1)) | (LAST_COUNT << COUNT_SHIFT)); // same W, permits
        assertEquals(LAST_COUNT, engine.stats().acquisitions());

        holder.release(); // grants the waiter: that grant wraps the count
        assertTrue(waiter.isDone());
        assertEquals(LAST_COUNT + 1, engine.stats().acquisitions(), "the grant that wrapped is counted");
        waiter.join().release();
        assertTrue(engine.isFree(), engine.toString());
    }

    private static VarHandle stateOf() throws ReflectiveOperationException {
        return MethodHandles.privateLookupIn(HandOffSemaphore.class, MethodHandles.lookup())
                .findVarHandle(HandOffSemaphore.class, "state", long.class);
    }
}
