package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 16: the observer hook that metrics libraries bind to a lock. */
class LockObserverTest {

    private static final Duration LONG = Duration.ofMillis(5);

    /** Collects every sample; thread-safe. */
    static final class Recorder implements LockObserver {
        final ConcurrentLinkedQueue<Long> waits = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> holds = new ConcurrentLinkedQueue<>();

        @Override
        public void waited(long nanos) {
            waits.add(nanos);
        }

        @Override
        public void held(long nanos) {
            holds.add(nanos);
        }

        int calls() {
            return waits.size() + holds.size();
        }
    }

    @Test
    void everyWaitAndEveryHoldIsReportedWhenSamplingIsOne() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("observed").build();
        Recorder recorder = new Recorder();
        mutex.bind(recorder, 1);

        mutex.lock().release();                                            // hold 1
        mutex.tryAcquire().orElseThrow().release();                        // hold 2
        Await.value(mutex.acquire()).release();                            // hold 3
        Guard holder = mutex.lock();                                       // hold 4
        CompletableFuture<Guard> waiter = mutex.acquire().toCompletableFuture();
        assertTrue(recorder.waits.isEmpty(), "nothing has waited to the end yet");
        holder.release();
        Await.value(waiter).release();                                     // hold 5, wait 1

        assertEquals(1, recorder.waits.size());
        assertEquals(5, recorder.holds.size());
        assertEquals(5, mutex.stats().acquisitions());
        assertEquals(1, mutex.stats().contendedAcquisitions());
        assertTrue(recorder.waits.stream().allMatch(nanos -> nanos >= 0));
        assertTrue(recorder.holds.stream().allMatch(nanos -> nanos >= 0));
    }

    @Test
    void oneHoldInNIsTimedByTheGrantCountAndEveryWaitIsReported() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.builder(2).name("sampled").build();
        Recorder recorder = new Recorder();
        semaphore.bind(recorder, 4);
        for (int i = 0; i < 16; i++) {                                     // grants 1..16
            semaphore.tryAcquire(1).orElseThrow().release();
        }
        assertEquals(4, recorder.holds.size(), "grants 4, 8, 12 and 16");

        Guard all = semaphore.lock(2);                                     // grant 17
        CompletableFuture<Guard> one = semaphore.acquire(1).toCompletableFuture();
        CompletableFuture<Guard> two = semaphore.acquire(1).toCompletableFuture();
        all.release();                                                     // grants 18, 19
        Await.value(one).release();
        Await.value(two).release();
        assertEquals(2, recorder.waits.size(), "waits are not sampled");
    }

    @Test
    void samplesMeasureTheWaitAndTheHold() throws Exception {
        AsyncRwLock lock = AsyncRwLock.builder().name("timed").build();
        Recorder recorder = new Recorder();
        lock.bind(recorder, 1);
        Guard write = lock.writeLock().lock();
        CompletableFuture<Guard> reader = lock.readLock().acquire().toCompletableFuture();
        Await.until("the reader is queued", () -> lock.queueLength() == 1);
        pause(LONG);                                                       // the reader waits at least this
        write.release();
        Guard read = Await.value(reader);
        pause(LONG);                                                       // and holds at least this
        read.release();

        assertEquals(List.of(true), recorder.waits.stream().map(nanos -> nanos >= LONG.toNanos()).toList());
        assertEquals(2, recorder.holds.size());
        assertTrue(recorder.holds.stream().allMatch(nanos -> nanos >= LONG.toNanos()), recorder.holds.toString());
    }

    @Test
    void aDowngradeEndsTheWriteHoldAndStartsATimedReadHold() throws Exception {
        AsyncRwLock lock = new AsyncRwLock();
        Recorder recorder = new Recorder();
        lock.bind(recorder, 1);
        Guard read = lock.downgrade(lock.writeLock().lock());
        assertEquals(1, recorder.holds.size(), "the write hold");
        read.release();
        assertEquals(2, recorder.holds.size(), "and the read hold");
    }

    @Test
    void anUnboundObserverGetsNoMoreCalls() throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        Recorder recorder = new Recorder();
        mutex.bind(recorder, 1);
        mutex.lock().release();
        assertEquals(1, recorder.calls(), "bound: called");
        assertTrue(mutex.unbind(recorder));
        assertFalse(mutex.unbind(recorder), "unbinding twice changes nothing");

        handOffs(mutex, 3);
        assertEquals(1, recorder.calls(), "unbound: no call, for holds nor waits");
    }

    @Test
    void oneObserverAtATimeAndTheArgumentsAreChecked() {
        AsyncMutex mutex = AsyncMutex.builder().name("single").build();
        Recorder first = new Recorder();
        mutex.bind(first, 1);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> mutex.bind(new Recorder(), 1));
        assertTrue(twice.getMessage().contains("'single'"), twice.getMessage());
        assertFalse(mutex.unbind(new Recorder()), "only the bound observer unbinds");
        assertTrue(mutex.unbind(first));
        assertThrows(NullPointerException.class, () -> mutex.bind(null, 1));
        assertThrows(IllegalArgumentException.class, () -> mutex.bind(first, 0));
        mutex.bind(first, 1); // free again
        assertEquals("single", mutex.name());
        assertEquals("unnamed", new AsyncSemaphore(1).name());
    }

    @Test
    void anObserverThatThrowsIsUnboundAndLoggedAndTheLockCarriesOn() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.builder(2).name("faulty").build();
        try (CapturedLog log = new CapturedLog()) {
            semaphore.bind(new LockObserver() {
                @Override
                public void waited(long nanos) {
                    throw new IllegalStateException("observer bug: wait");
                }

                @Override
                public void held(long nanos) {
                }
            }, 1);
            Guard all = semaphore.lock(2);
            CompletableFuture<Guard> one = semaphore.acquire(1).toCompletableFuture();
            CompletableFuture<Guard> two = semaphore.acquire(1).toCompletableFuture();
            all.release(); // one batch of two grants: the first wait sample throws
            Await.value(one).release();
            Await.value(two).release();
            assertEquals(2, semaphore.availablePermits());
            assertEquals(1, log.count("observer"), "logged once");
            assertTrue(log.first("observer").getMessage().contains("'faulty'"));

            Recorder next = new Recorder();
            semaphore.bind(next, 1); // the faulty one was unbound
            assertTrue(semaphore.unbind(next));
            semaphore.bind(new LockObserver() {
                @Override
                public void waited(long nanos) {
                }

                @Override
                public void held(long nanos) {
                    throw new AssertionError("observer bug: hold");
                }
            }, 1);
            Guard guard = semaphore.lock(2);
            guard.release(); // the hold sample throws an Error: still released
            assertEquals(2, semaphore.availablePermits());
            assertTrue(guard.isReleased());
            assertEquals(2, log.count("observer"));
            handOffs(semaphore.asLock(2), 2);
            assertEquals(2, log.count("observer"), "unbound after the first failure");
        }
    }

    /** {@code n} hand-offs: a hold, a queued acquisition, the release that grants it, its release. */
    static void handOffs(AsyncLock lock, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            Guard holder = lock.lock();
            CompletableFuture<Guard> waiter = lock.acquire().toCompletableFuture();
            holder.release();
            Await.value(waiter).release();
        }
    }

    /** Lets at least {@code duration} pass (a duration to measure, not a synchronization). */
    static void pause(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
