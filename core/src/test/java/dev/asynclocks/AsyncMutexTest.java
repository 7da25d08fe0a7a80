package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static dev.asynclocks.StageAssertions.assertGranted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link AsyncMutex} adds to the lock contract ({@link AsyncMutexContractTest}): monitoring and the builder. */
class AsyncMutexTest {

    @Test
    void isLockedAndQueueLengthFollowTheHolds() {
        AsyncMutex mutex = new AsyncMutex();
        assertFalse(mutex.isLocked());
        assertEquals(0, mutex.queueLength());
        Guard held = mutex.tryAcquire().orElseThrow();
        assertTrue(mutex.isLocked());
        CompletionStage<Guard> first = mutex.acquire();
        CompletableFuture<Guard> second = mutex.acquire().toCompletableFuture();
        assertEquals(2, mutex.queueLength());
        second.cancel(true);
        assertEquals(1, mutex.queueLength());
        held.release();
        assertTrue(mutex.isLocked(), "handed to the waiter");
        assertEquals(0, mutex.queueLength());
        assertGranted(first).release();
        assertFalse(mutex.isLocked());
    }

    @Test
    void isLockedDuringAHandOff() {
        AbstractAsyncLockContractTest.ManualExecutor executor = new AbstractAsyncLockContractTest.ManualExecutor();
        AsyncMutex mutex = AsyncMutex.builder().executor(executor).build();
        Guard held = mutex.tryAcquire().orElseThrow();
        CompletionStage<Guard> waiter = mutex.acquire();
        held.release();
        assertTrue(mutex.isLocked(), "granted, delivery pending");
        executor.runAll();
        assertGranted(waiter).release();
        assertFalse(mutex.isLocked());
    }

    @Test
    void toStringShowsTheNameAndState() {
        AsyncMutex mutex = AsyncMutex.builder().name("cache").build();
        assertTrue(mutex.toString().contains("cache"), mutex.toString());
        assertTrue(mutex.toString().contains("free"), mutex.toString());
        Guard held = mutex.tryAcquire().orElseThrow();
        mutex.acquire();
        assertTrue(mutex.toString().contains("held"), mutex.toString());
        assertTrue(mutex.toString().contains("1 queued"), mutex.toString());
        held.release();
    }

    @Test
    void aBuilderMakesANewMutexPerBuild() {
        AsyncMutex.Builder builder = AsyncMutex.builder().name("twice");
        AsyncMutex a = builder.build();
        AsyncMutex b = builder.build();
        Guard g = a.tryAcquire().orElseThrow();
        assertTrue(b.tryAcquire().isPresent(), "independent mutexes");
        g.release();
    }

    @Test
    void builderRejectsNullsNamingTheParameter() {
        NullPointerException name = assertThrows(NullPointerException.class, () -> AsyncMutex.builder().name(null));
        assertTrue(String.valueOf(name.getMessage()).contains("name"), name.getMessage());
        NullPointerException executor = assertThrows(NullPointerException.class,
                () -> AsyncMutex.builder().executor(null));
        assertTrue(String.valueOf(executor.getMessage()).contains("executor"), executor.getMessage());
    }

    @Test
    void theTimeoutMessageNamesTheLock() {
        AsyncMutex mutex = AsyncMutex.builder().name("routes").build();
        Guard held = mutex.tryAcquire().orElseThrow();
        java.util.concurrent.TimeoutException timeout = StageAssertions.assertFailedWith(
                java.util.concurrent.TimeoutException.class, mutex.acquire(java.time.Duration.ZERO));
        assertTrue(String.valueOf(timeout.getMessage()).contains("routes"), timeout.getMessage());
        held.release();
    }
}
