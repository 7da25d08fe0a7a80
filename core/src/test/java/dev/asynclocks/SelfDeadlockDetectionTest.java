package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code detectSelfDeadlock()}: a {@code lock()} that only the calling thread's own holds could
 * let through fails with {@link IllegalStateException}, leaving nothing queued or held; every
 * other wait is left alone. Waits that must time out use a short timeout: the test asserts which
 * exception, never how long it took.
 */
class SelfDeadlockDetectionTest {

    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void aMutexLockedAgainByItsHolderFailsAtOnceSayingWhy() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("orders").detectSelfDeadlock().build();
        Guard outer = mutex.lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, mutex::lock);
        assertTrue(e.getMessage().contains("AsyncMutex 'orders'") && e.getMessage().contains("already holds it"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> mutex.lock(Duration.ofHours(1)));
        assertEquals(0, mutex.queueLength(), "nothing queued");
        outer.release();
        mutex.lock().release(); // released: the thread may lock again
        assertFalse(mutex.isLocked());
    }

    @Test
    void aHoldTakenByTryAcquireCountsToo() {
        AsyncMutex mutex = AsyncMutex.builder().detectSelfDeadlock().build();
        Guard outer = mutex.tryAcquire().orElseThrow();
        assertThrows(IllegalStateException.class, mutex::lock);
        outer.release();
    }

    @Test
    void withoutTheOptionTheSameThreadWaitsAsBefore() throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        try (Guard outer = mutex.lock()) {
            assertThrows(TimeoutException.class, () -> mutex.lock(SHORT));
        }
    }

    @Test
    void anotherThreadsHoldIsWaitedForNormally() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().detectSelfDeadlock().build();
        CompletableFuture<Guard> other = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                other.complete(mutex.lock());
            } catch (Throwable t) {
                other.completeExceptionally(t);
            }
        }).join();
        assertThrows(TimeoutException.class, () -> mutex.lock(SHORT), "waits (and times out), not refused");
        other.join().release();
        mutex.lock().release();
    }

    @Test
    void aGuardReleasedOnAnotherThreadStopsCountingForItsAcquirer() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().detectSelfDeadlock().build();
        Guard guard = mutex.lock();
        Thread.ofVirtual().start(guard::release).join();
        mutex.lock().release();
    }

    @Test
    void aReadLockTakenAgainWhileAWriterWaitsFailsButNotWithoutTheWriter() throws Exception {
        AsyncRwLock rw = AsyncRwLock.builder().name("routes").detectSelfDeadlock().build();
        Guard firstRead = rw.readLock().lock();
        rw.readLock().lock().release(); // no writer waits: readers share
        CompletableFuture<Guard> writer = rw.writeLock().acquire().toCompletableFuture();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rw.readLock().lock());
        assertTrue(e.getMessage().contains("waits for them"), e.getMessage());
        assertEquals(1, rw.queueLength(), "only the writer waits");
        firstRead.release();
        writer.join().release();
    }

    @Test
    void aDowngradedReadHoldStillCounts() throws Exception {
        AsyncRwLock rw = AsyncRwLock.builder().detectSelfDeadlock().build();
        Guard write = rw.writeLock().lock();
        assertThrows(IllegalStateException.class, () -> rw.writeLock().lock());
        Guard read = rw.downgrade(write);
        CompletableFuture<Guard> writer = rw.writeLock().acquire().toCompletableFuture();
        assertThrows(IllegalStateException.class, () -> rw.readLock().lock());
        read.release();
        writer.join().release();
        rw.readLock().lock().release(); // nothing counted any more
    }

    @Test
    void aSemaphoreRequestThatCanNeverFitBesideTheThreadsOwnPermitsFails() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.builder(3).detectSelfDeadlock().build();
        Guard two = semaphore.lock(2);
        assertThrows(IllegalStateException.class, () -> semaphore.lock(2));
        Guard one = semaphore.lock(1); // fits
        one.release();
        // 1 held here and 2 elsewhere: a request of 2 can fit once the other holder releases.
        two.release();
        Guard mine = semaphore.lock(1);
        CompletableFuture<Guard> elsewhere = semaphore.acquire(2).toCompletableFuture();
        assertThrows(TimeoutException.class, () -> semaphore.lock(2, SHORT), "waits for the other holder");
        elsewhere.join().release();
        mine.release();
        assertEquals(3, semaphore.availablePermits());
    }

    @Test
    void asyncAcquisitionsAreNotCounted() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().detectSelfDeadlock().build();
        Guard async = mutex.acquire().toCompletableFuture().join();
        assertThrows(TimeoutException.class, () -> mutex.lock(SHORT), "no owner thread: waits");
        async.release();
    }
}
