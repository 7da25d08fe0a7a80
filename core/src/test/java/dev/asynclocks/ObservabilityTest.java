package dev.asynclocks;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 6: stats, JFR events, leaked-guard reports, bounded queues, toString. */
class ObservabilityTest {

    /**
     * Issue 11: a caller's own {@code completeExceptionally(new TimeoutException())} is a
     * cancellation: its exception object stays on the stage and it is not counted as a timeout.
     * Only the lock's own timer times an acquisition out.
     */
    @Test
    void aCallersOwnTimeoutExceptionIsACancellation() {
        AsyncMutex mutex = AsyncMutex.builder().name("callers-timeout").build();
        Guard holder = mutex.tryAcquire().orElseThrow();
        CompletableFuture<Guard> waiter = mutex.acquire().toCompletableFuture();
        TimeoutException own = new TimeoutException(); // no message, as orTimeout's own
        assertTrue(waiter.completeExceptionally(own));
        CompletionException failure = assertThrows(CompletionException.class, waiter::join);
        assertSame(own, failure.getCause());
        CompletableFuture<Guard> timedByCaller = mutex.acquire().toCompletableFuture()
                .orTimeout(1, TimeUnit.MILLISECONDS);
        assertInstanceOf(TimeoutException.class,
                assertThrows(CompletionException.class, timedByCaller::join).getCause());
        LockStats stats = mutex.stats();
        assertEquals(2, stats.cancellations());
        assertEquals(0, stats.timeouts());
        assertEquals(0, stats.queueLength());
        holder.release();
        mutex.tryAcquire().orElseThrow().release();
    }

    @Test
    void statsCountEveryKindOfOutcome() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("stats").build();
        Guard first = mutex.lock();                                         // 1 uncontended
        assertTrue(mutex.tryAcquire().isEmpty());                           // failed try: not counted
        CompletableFuture<Guard> granted = mutex.acquire().toCompletableFuture();
        CompletableFuture<Guard> cancelled = mutex.acquire().toCompletableFuture();
        CompletableFuture<Guard> timedOut = mutex.acquire(Duration.ofMillis(1)).toCompletableFuture();
        assertEquals(3, mutex.stats().peakQueueLength());
        CompletionException failure = assertThrows(CompletionException.class, timedOut::join);
        assertInstanceOf(TimeoutException.class, failure.getCause());
        assertTrue(cancelled.cancel(true));
        first.release();
        granted.join().release();                                           // 1 contended
        mutex.tryAcquire().orElseThrow().release();                         // 1 uncontended

        LockStats stats = mutex.stats();
        assertEquals(3, stats.acquisitions());
        assertEquals(1, stats.contendedAcquisitions());
        assertEquals(1, stats.cancellations());
        assertEquals(1, stats.timeouts());
        assertEquals(0, stats.rejections());
        assertEquals(0, stats.queueLength());
        assertEquals(3, stats.peakQueueLength());
        assertTrue(stats.maxWaitTime().compareTo(Duration.ZERO) > 0);
        assertTrue(stats.totalWaitTime().compareTo(stats.maxWaitTime()) >= 0);
    }

    @Test
    void waitTimesAreSampledButCountsAreExact() {
        AsyncMutex mutex = new AsyncMutex();
        Guard gate = mutex.tryAcquire().orElseThrow();
        List<CompletableFuture<Guard>> waiters = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // enqueues 0, 16 and 32 are timed
            waiters.add(mutex.acquire().toCompletableFuture());
        }
        gate.release();
        for (CompletableFuture<Guard> waiter : waiters) {
            waiter.join().release();
        }
        LockStats stats = mutex.stats();
        assertEquals(41, stats.acquisitions());
        assertEquals(40, stats.contendedAcquisitions());
        assertTrue(stats.maxWaitTime().compareTo(Duration.ZERO) > 0, stats.toString());
        // The estimate is the sampled mean times the count: at least the longest sample's share.
        assertTrue(stats.totalWaitTime().compareTo(stats.maxWaitTime()) >= 0, stats.toString());
    }

    @Test
    void statsCountInterruptsAsCancellations() throws Exception {
        AsyncSemaphore semaphore = new AsyncSemaphore(1);
        Guard held = semaphore.lock(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                semaphore.lock(1);
            } catch (InterruptedException expected) {
                // the outcome under test
            }
        });
        Await.until("the waiter is queued", () -> semaphore.queueLength() == 1);
        waiter.interrupt();
        waiter.join();
        held.release();
        assertEquals(1, semaphore.stats().cancellations());
        assertEquals(1, semaphore.stats().acquisitions());
    }

    @Test
    void boundedQueueRejectsAtOnceAndLeavesTriesAlone() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("bounded").maxWaiters(2).build();
        Guard held = mutex.lock();
        CompletableFuture<Guard> one = mutex.acquire().toCompletableFuture();
        CompletableFuture<Guard> two = mutex.acquire().toCompletableFuture();

        CompletableFuture<Guard> three = mutex.acquire().toCompletableFuture();
        assertTrue(three.isCompletedExceptionally());
        RejectedExecutionException rejected = assertThrows(RejectedExecutionException.class,
                () -> { throw assertThrows(CompletionException.class, three::join).getCause(); });
        assertTrue(rejected.getMessage().contains("'bounded'"), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("maxWaiters"), rejected.getMessage());
        assertThrows(RejectedExecutionException.class, mutex::lock);
        assertTrue(mutex.tryAcquire().isEmpty()); // a try is refused for the lock, not for the bound
        assertEquals(2, mutex.queueLength());
        assertEquals(2, mutex.stats().rejections());

        held.release();
        one.join().release();
        two.join().release();
        assertFalse(mutex.isLocked());
        mutex.acquire().toCompletableFuture().join().release(); // uncontended: unaffected by the bound
    }

    @Test
    void maxWaitersZeroMeansNobodyWaitsAndNegativeIsRejected() throws Exception {
        AsyncRwLock lock = AsyncRwLock.builder().maxWaiters(0).build();
        try (Guard read = lock.readLock().lock()) {
            assertNotNull(read);
            assertTrue(lock.writeLock().acquire().toCompletableFuture().isCompletedExceptionally());
            Guard secondReader = lock.readLock().lock(); // granted at once: no wait, no bound
            secondReader.release();
        }
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> AsyncSemaphore.builder(3).maxWaiters(-1));
        assertTrue(negative.getMessage().contains("maxWaiters"));
    }

    @Test
    void toStringShowsNameAndState() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("routes").build();
        assertEquals("AsyncMutex 'routes' [free]", mutex.toString());
        Guard held = mutex.lock();
        CompletableFuture<Guard> queued = mutex.acquire().toCompletableFuture();
        assertEquals("AsyncMutex 'routes' [held, 1 queued]", mutex.toString());
        held.release();
        queued.join().release();

        AsyncRwLock rw = AsyncRwLock.builder().name("table").build();
        Guard r1 = rw.readLock().lock();
        Guard r2 = rw.readLock().lock();
        CompletableFuture<Guard> writer = rw.writeLock().acquire().toCompletableFuture();
        assertEquals("AsyncRwLock 'table' [read by 2, 1 queued]", rw.toString());
        r1.release();
        r2.release();
        assertEquals("AsyncRwLock 'table' [write-locked]", rw.toString());
        writer.join().release();
        assertEquals("AsyncRwLock 'table' [free]", rw.toString());

        AsyncSemaphore semaphore = AsyncSemaphore.builder(10).name("db").build();
        Guard seven = semaphore.lock(7);
        assertEquals("AsyncSemaphore 'db' [held 7 of 10]", semaphore.toString());
        seven.release();
        assertEquals("AsyncSemaphore 'db' [free, 10 permits]", semaphore.toString());
        assertTrue(new AsyncMutex().toString().contains("unnamed"));
    }

    @Test
    void jfrRecordsContendedAcquisitionsAndLongHolds() throws Exception {
        AsyncMutex mutex = withProperties(() -> AsyncMutex.builder().name("jfr-test").build(),
                "dev.asynclocks.jfr.contentionThresholdMillis", "0",
                "dev.asynclocks.jfr.longHoldThresholdMillis", "0");
        Recording recording = new Recording();
        recording.enable("dev.asynclocks.ContendedAcquisition").withoutThreshold();
        recording.enable("dev.asynclocks.LongHold").withoutThreshold();
        List<RecordedEvent> events = recordOneHandOff(recording, mutex);
        List<RecordedEvent> contended = named(events, "dev.asynclocks.ContendedAcquisition");
        List<RecordedEvent> longHolds = named(events, "dev.asynclocks.LongHold");
        assertEquals(1, contended.size(), events.toString());
        assertEquals("jfr-test", contended.get(0).getString("lockName"));
        assertEquals("AsyncMutex", contended.get(0).getString("lockType"));
        assertEquals(1, contended.get(0).getInt("permits"));
        assertTrue(contended.get(0).getDuration("waitTime").toNanos() > 0);
        assertEquals(0, contended.get(0).getInt("queueLength"));
        assertEquals(2, longHolds.size(), events.toString());
        assertTrue(longHolds.stream().allMatch(e -> "jfr-test".equals(e.getString("lockName"))));
    }

    @Test
    void jfrThresholdsFilterShortWaitsAndHolds() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("jfr-quiet").build(); // defaults: 20 ms, 100 ms
        AsyncMutex control = withProperties(() -> AsyncMutex.builder().name("jfr-control").build(),
                "dev.asynclocks.jfr.contentionThresholdMillis", "0",
                "dev.asynclocks.jfr.longHoldThresholdMillis", "0");
        Recording recording = new Recording();
        recording.enable("dev.asynclocks.ContendedAcquisition").withoutThreshold();
        recording.enable("dev.asynclocks.LongHold").withoutThreshold();
        List<RecordedEvent> events = recordOneHandOff(recording, mutex, control);
        // The control, with zero thresholds, proves the recording saw the same hand-off: without
        // it an empty recording would pass the checks below.
        assertEquals(1, ofLock(named(events, "dev.asynclocks.ContendedAcquisition"), "jfr-control").size(),
                events.toString());
        assertEquals(2, ofLock(named(events, "dev.asynclocks.LongHold"), "jfr-control").size(), events.toString());
        // A wait and holds of microseconds are below the default thresholds (unless this machine
        // stalled for 20 ms inside them, which would still be a correct event, not a failure).
        assertTrue(ofLock(named(events, "dev.asynclocks.ContendedAcquisition"), "jfr-quiet").stream()
                .allMatch(e -> e.getDuration("waitTime").toMillis() >= 20), events.toString());
        assertTrue(ofLock(named(events, "dev.asynclocks.LongHold"), "jfr-quiet").stream()
                .allMatch(e -> e.getDuration("holdTime").toMillis() >= 100), events.toString());
    }

    @Test
    void eventsAreOptInSoADefaultRecordingCostsHoldsNothing() throws Exception {
        AsyncMutex mutex = withProperties(() -> AsyncMutex.builder().name("jfr-default").build(),
                "dev.asynclocks.jfr.contentionThresholdMillis", "0",
                "dev.asynclocks.jfr.longHoldThresholdMillis", "0");
        List<RecordedEvent> events = recordOneHandOff(
                new Recording(jdk.jfr.Configuration.getConfiguration("default")), mutex);
        assertEquals(0, events.stream().filter(e -> e.getEventType().getName().startsWith("dev.asynclocks")).count(),
                "a recording that does not name the events records none (and holds are not timed)");
        // Control: the same hand-off under the same default settings plus the two events enabled
        // by name is recorded, so the empty list above is the settings' doing.
        Recording enabling = new Recording(jdk.jfr.Configuration.getConfiguration("default"));
        enabling.enable("dev.asynclocks.ContendedAcquisition").withoutThreshold();
        enabling.enable("dev.asynclocks.LongHold").withoutThreshold();
        List<RecordedEvent> control = ofLock(recordOneHandOff(enabling, mutex), "jfr-default");
        assertEquals(1, named(control, "dev.asynclocks.ContendedAcquisition").size(), control.toString());
        assertEquals(2, named(control, "dev.asynclocks.LongHold").size(), control.toString());
    }

    @Test
    void leakedGuardIsReportedOnceWithLockNameAndStackTrace() throws Exception {
        AsyncMutex mutex = withProperties(() -> AsyncMutex.builder().name("leaky").build(),
                "dev.asynclocks.leakDetection", "all",
                "dev.asynclocks.leakDetection.stackTraces", "true");
        try (CapturedLog log = new CapturedLog()) {
            leakOneGuard(mutex);
            awaitLeakReport(log, mutex::stats);
            assertEquals(1, log.count("LEAK"), "exactly one report for one leaked guard");
            LogRecord report = log.first("LEAK");
            assertTrue(report.getMessage().contains("'leaky'"), report.getMessage());
            assertTrue(report.getMessage().contains("stays held"), report.getMessage());
            assertNotNull(report.getThrown(), "stack trace of the acquisition");
            assertTrue(mutex.isLocked(), "a leaked guard keeps the lock held");

            for (int i = 0; i < 20; i++) { // released guards are never reported
                mutex.tryAcquire(); // fails: the leaked hold
                System.gc();
                mutex.stats();
            }
            assertEquals(1, log.count("LEAK"), "reported once");
        }
    }

    @Test
    void releasedAndDowngradedGuardsAreNeverReportedAsLeaks() throws Exception {
        AsyncRwLock lock = withProperties(() -> AsyncRwLock.builder().name("never-leaks").build(),
                "dev.asynclocks.leakDetection", "all");
        AsyncMutex control = withProperties(() -> AsyncMutex.builder().name("control-leak").build(),
                "dev.asynclocks.leakDetection", "all");
        try (CapturedLog log = new CapturedLog()) {
            for (int i = 0; i < 100; i++) {
                lock.downgrade(lock.writeLock().lock()).release();
                lock.readLock().acquire().toCompletableFuture().join().release();
                lock.writeLock().tryAcquire().orElseThrow().close();
            }
            // Control: a guard leaked after all those is reported, so the GC did run and did clear
            // this lock's guards too; without it an unlucky GC would pass the check below.
            leakOneGuard(control);
            awaitLeakReport(log, () -> {
                control.stats();
                lock.stats(); // polls this lock's leak queue as well
            });
            assertEquals(1, log.count("'control-leak'"));
            assertEquals(0, log.count("'never-leaks'"));
        }
    }

    /** Runs the GC and polls for leaks (through {@code poll}) until a leak is reported, a bounded number of times. */
    private static void awaitLeakReport(CapturedLog log, Runnable poll) {
        Await.until("a leaked guard is reported", () -> {
            System.gc();
            poll.run(); // stats() polls the leak queue
            return log.count("LEAK") > 0;
        });
    }

    /**
     * Runs {@code recording} (and closes it) around one hold, one queued acquisition and its
     * hand-off on each of {@code mutexes}, and returns what it recorded.
     */
    private static List<RecordedEvent> recordOneHandOff(Recording recording, AsyncMutex... mutexes) throws Exception {
        Path file = Files.createTempFile("asynclocks", ".jfr");
        try (recording) {
            recording.start();
            for (AsyncMutex mutex : mutexes) {
                Guard held = mutex.lock();
                CompletableFuture<Guard> waiter = mutex.acquire().toCompletableFuture();
                held.release();
                Await.value(waiter).release();
            }
            recording.stop();
            recording.dump(file);
            return RecordingFile.readAllEvents(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void leakOneGuard(AsyncMutex mutex) throws InterruptedException {
        Optional<Guard> guard = Optional.of(mutex.lock());
        assertTrue(guard.isPresent()); // and then dropped without release()
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    private static List<RecordedEvent> ofLock(List<RecordedEvent> events, String lockName) {
        return events.stream().filter(e -> e.hasField("lockName") && lockName.equals(e.getString("lockName"))).toList();
    }

    /** Builds a lock with system properties set (they are read when a lock is built), then restores them. */
    private static <T> T withProperties(java.util.function.Supplier<T> factory, String... keysAndValues) {
        String[] previous = new String[keysAndValues.length / 2];
        for (int i = 0; i < keysAndValues.length; i += 2) {
            previous[i / 2] = System.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        try {
            return factory.get();
        } finally {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                if (previous[i / 2] == null) {
                    System.clearProperty(keysAndValues[i]);
                } else {
                    System.setProperty(keysAndValues[i], previous[i / 2]);
                }
            }
        }
    }
}
