package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import static dev.asynclocks.StageAssertions.assertFailedWith;
import static dev.asynclocks.StageAssertions.assertPending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link GuardedMutex} adds to the {@link UpdatableValue} contract ({@link GuardedMutexContractTest}). */
class GuardedMutexTest {

    /** The mutex's options apply to the sections: here, a bounded queue. */
    @Test
    void aMutexBuiltWithOptionsBoundsTheSections() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("counter").maxWaiters(1).build();
        GuardedMutex<Integer> counter = new GuardedMutex<>(mutex, 0);
        Guard held = mutex.lock();
        CompletionStage<Void> queued = counter.updateAsync(n -> n + 1);
        assertFailedWith(RejectedExecutionException.class, counter.updateAsync(n -> n + 10));
        assertThrows(RejectedExecutionException.class, () -> counter.apply(n -> n));
        assertPending(queued);
        held.release();
        int value = counter.apply(n -> n);
        assertEquals(1, value);
    }

    /** Not reentrant: a section that enters the same value again waits for itself (here, until its timeout). */
    @Test
    void aSectionThatEntersTheValueAgainWaitsForItself() throws Exception {
        GuardedMutex<Integer> counter = new GuardedMutex<>(0);
        counter.apply(n -> assertThrows(TimeoutException.class, () -> counter.update(Duration.ofMillis(20), m -> m + 1)));
        int value = counter.apply(n -> n);
        assertEquals(0, value);
    }

    @Test
    void constructorsRejectNullsNamingTheParameter() {
        AbstractGuardedValueContractTest.assertNpeNaming("value", () -> new GuardedMutex<>(null));
        AbstractGuardedValueContractTest.assertNpeNaming("mutex", () -> new GuardedMutex<>(null, List.of()));
        AbstractGuardedValueContractTest.assertNpeNaming("value", () -> new GuardedMutex<>(new AsyncMutex(), null));
    }

    @Test
    void toStringShowsTheMutexButNeverTheValue() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("sessions").build();
        GuardedMutex<String> sessions = new GuardedMutex<>(mutex, "secret");
        String free = sessions.toString();
        assertTrue(free.contains("sessions") && free.contains("free"), free);
        assertFalse(free.contains("secret"), free);
        String inside = sessions.apply(s -> sessions.toString());
        assertTrue(inside.contains("held"), inside);
    }
}
