package dev.asynclocks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.asynclocks.StageAssertions.assertFailedWith;
import static dev.asynclocks.StageAssertions.assertGranted;
import static dev.asynclocks.StageAssertions.assertPending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the read-write lock adds to the {@link AsyncLock} contract (which
 * {@link AsyncRwLockReadContractTest} and {@link AsyncRwLockWriteContractTest} run for each view):
 * one FIFO queue across readers and writers, readers admitted together, and downgrade.
 */
class AsyncRwLockTest {

    private final AsyncRwLock rw = new AsyncRwLock();
    private final AsyncLock read = rw.readLock();
    private final AsyncLock write = rw.writeLock();

    private void assertFree() {
        assertEquals(0, rw.queueLength());
        assertEquals(0, rw.readers());
        assertFalse(rw.isWriteLocked());
        write.tryAcquire().orElseThrow(() -> new AssertionError("not free: " + rw)).release();
    }

    private Guard readGuard() {
        return read.tryAcquire().orElseThrow(() -> new AssertionError("read not free: " + rw));
    }

    private Guard writeGuard() {
        return write.tryAcquire().orElseThrow(() -> new AssertionError("write not free: " + rw));
    }

    @Test
    void viewsAreStable() {
        assertSame(read, rw.readLock());
        assertSame(write, rw.writeLock());
        assertNotSame(read, write);
    }

    @Test
    void readersShare() {
        Guard a = readGuard();
        Guard b = assertGranted(read.acquire());
        Guard c = Await.value(AcquireStyle.LOCK.start(read));
        assertEquals(3, rw.readers());
        assertFalse(rw.isWriteLocked());
        assertTrue(write.tryAcquire().isEmpty());
        a.release();
        b.release();
        assertEquals(1, rw.readers());
        c.release();
        assertFree();
    }

    @Test
    void aWriterExcludesEveryone() {
        Guard w = writeGuard();
        assertTrue(rw.isWriteLocked());
        assertEquals(0, rw.readers());
        assertTrue(read.tryAcquire().isEmpty());
        assertTrue(write.tryAcquire().isEmpty());
        CompletionStage<Guard> r = read.acquire();
        CompletionStage<Guard> w2 = write.acquire();
        assertPending(r);
        assertPending(w2);
        w.release();
        Guard rg = assertGranted(r);
        assertPending(w2);
        rg.release();
        assertGranted(w2).release();
        assertFree();
    }

    @Test
    void readersAtTheHeadAreAdmittedTogether() {
        Guard w = writeGuard();
        CompletionStage<Guard> r1 = read.acquire();
        CompletionStage<Guard> r2 = AcquireStyle.LOCK.start(read);
        Await.until("r2 queued", () -> rw.queueLength() == 2);
        CompletionStage<Guard> r3 = AcquireStyle.WITH_LOCK.start(read);
        CompletionStage<Guard> r4 = read.acquire(Duration.ofHours(1));
        assertEquals(4, rw.queueLength());
        w.release();
        List<Guard> guards = List.of(assertGranted(r1), Await.value(r2), assertGranted(r3), assertGranted(r4));
        assertEquals(4, rw.readers(), "all four readers admitted together");
        assertEquals(0, rw.queueLength());
        guards.forEach(Guard::release);
        assertFree();
    }

    @Test
    void aReaderArrivingWhileAWriterWaitsQueuesBehindIt() {
        Guard r1 = readGuard();
        CompletionStage<Guard> w = write.acquire();
        CompletionStage<Guard> r2 = read.acquire();
        assertPending(r2);
        assertTrue(read.tryAcquire().isEmpty(), "a read try never barges past the waiting writer");
        assertFailedWith(TimeoutException.class, read.acquire(Duration.ZERO));
        assertEquals(1, rw.readers());
        r1.release();
        Guard wg = assertGranted(w);
        assertPending(r2);
        wg.release();
        assertGranted(r2).release();
        assertFree();
    }

    /** W0 held; queue r1 r2 W1 r3 r4 W2: grants come in batches, in order. */
    @Test
    void grantsComeInFifoBatches() {
        Guard w0 = writeGuard();
        CompletionStage<Guard> r1 = read.acquire();
        CompletionStage<Guard> r2 = read.acquire();
        CompletionStage<Guard> w1 = write.acquire();
        CompletionStage<Guard> r3 = read.acquire();
        CompletionStage<Guard> r4 = read.acquire();
        CompletionStage<Guard> w2 = write.acquire();
        assertEquals(6, rw.queueLength());

        w0.release();
        Guard g1 = assertGranted(r1);
        Guard g2 = assertGranted(r2);
        assertPending(w1);
        assertPending(r3);
        assertEquals(4, rw.queueLength());

        g1.release();
        assertPending(w1);
        g2.release();
        Guard gw1 = assertGranted(w1);
        assertPending(r3);

        gw1.release();
        Guard g3 = assertGranted(r3);
        Guard g4 = assertGranted(r4);
        assertPending(w2);
        assertEquals(2, rw.readers());
        g4.release();
        g3.release();
        assertGranted(w2).release();
        assertFree();
    }

    @Test
    void cancellingAWaitingWriterAdmitsTheReadersBehindIt() {
        Guard r1 = readGuard();
        CompletableFuture<Guard> w = write.acquire().toCompletableFuture();
        CompletionStage<Guard> r2 = read.acquire();
        CompletionStage<Guard> r3 = read.acquire();
        assertPending(r2);
        assertTrue(w.cancel(true));
        Guard g2 = assertGranted(r2);
        Guard g3 = assertGranted(r3);
        assertEquals(3, rw.readers());
        r1.release();
        g2.release();
        g3.release();
        assertFree();
    }

    @Test
    void aTimedOutWriterAdmitsTheReadersBehindIt() {
        Guard r1 = readGuard();
        CompletionStage<Guard> w = write.acquire(Duration.ofMillis(1));
        CompletionStage<Guard> r2 = read.acquire();
        Await.done(w);
        assertFailedWith(TimeoutException.class, w);
        Await.until("the reader behind is admitted", () -> r2.toCompletableFuture().isDone());
        assertGranted(r2).release();
        r1.release();
        assertFree();
    }

    @Test
    void anInterruptedWriterAdmitsTheReadersBehindIt() {
        Guard r1 = readGuard();
        CompletableFuture<Guard> w = new CompletableFuture<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                w.complete(write.lock());
            } catch (Throwable t) {
                w.completeExceptionally(t);
            }
        });
        Await.until("writer queued", () -> rw.queueLength() == 1);
        CompletionStage<Guard> r2 = read.acquire();
        writer.interrupt();
        Await.terminated(writer);
        assertFailedWith(InterruptedException.class, w);
        Await.until("the reader behind is admitted", () -> r2.toCompletableFuture().isDone());
        assertGranted(r2).release();
        r1.release();
        assertFree();
    }

    // ---- downgrade -------------------------------------------------------------------------------

    @Test
    void downgradeTurnsAWriteHoldIntoAReadHold() {
        Guard w = writeGuard();
        Guard r = rw.downgrade(w);
        assertTrue(w.isReleased(), "the write guard counts as released");
        assertFalse(r.isReleased());
        assertFalse(rw.isWriteLocked());
        assertEquals(1, rw.readers());
        w.release(); // a no-op
        w.close();
        assertEquals(1, rw.readers());
        assertTrue(write.tryAcquire().isEmpty());
        Guard other = readGuard();
        other.release();
        r.release();
        r.release();
        assertFree();
    }

    @ParameterizedTest
    @EnumSource(value = AcquireStyle.class, names = {"TRY", "ACQUIRE", "ACQUIRE_TIMED", "ACQUIRE_ZERO_TIMEOUT",
            "LOCK", "LOCK_TIMED", "LOCK_ZERO_TIMEOUT"})
    void downgradeAcceptsAWriteGuardFromEveryStyle(AcquireStyle style) {
        Guard w = Await.value(style.start(write));
        Guard r = rw.downgrade(w);
        assertTrue(w.isReleased());
        assertEquals(1, rw.readers());
        r.release();
        assertFree();
    }

    @Test
    void downgradeAdmitsWaitingReadersButNotAWaitingWriter() {
        Guard w = writeGuard();
        CompletionStage<Guard> r1 = read.acquire();
        CompletionStage<Guard> r2 = read.acquire();
        CompletionStage<Guard> w2 = write.acquire();
        CompletionStage<Guard> r3 = read.acquire();
        Guard r = rw.downgrade(w);
        Guard g1 = assertGranted(r1);
        Guard g2 = assertGranted(r2);
        assertPending(w2);
        assertPending(r3);
        assertEquals(3, rw.readers());
        r.release();
        g1.release();
        assertPending(w2);
        g2.release();
        Guard gw2 = assertGranted(w2);
        assertPending(r3);
        gw2.release();
        assertGranted(r3).release();
        assertFree();
    }

    @Test
    void downgradeWithAWriterAtTheHeadAdmitsNobody() {
        Guard w = writeGuard();
        CompletionStage<Guard> w2 = write.acquire();
        CompletionStage<Guard> r1 = read.acquire();
        Guard r = rw.downgrade(w);
        assertPending(w2);
        assertPending(r1);
        assertEquals(1, rw.readers());
        assertEquals(2, rw.queueLength());
        r.release();
        Guard gw2 = assertGranted(w2);
        assertPending(r1);
        gw2.release();
        assertGranted(r1).release();
        assertFree();
    }

    /**
     * No moment between the write hold and the read hold lets a writer in: a rival writer, trying
     * all the time, never succeeds while the main thread's hold (write, then read) is live.
     */
    @Test
    void noWriterEntersDuringADowngrade() throws Exception {
        int rounds = AbstractAsyncLockContractTest.RACE_ROUNDS;
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger rivalEntries = new AtomicInteger();
        class Phase {
            volatile boolean mainHolds;
            volatile boolean stop;
            volatile int round;
            volatile int rivalRound = -1;
        }
        Phase phase = new Phase();
        Thread rival = Thread.ofPlatform().name("rival-writer").start(() -> {
            while (!phase.stop) {
                Optional<Guard> got = write.tryAcquire();
                if (got.isPresent()) {
                    if (phase.mainHolds) {
                        violations.incrementAndGet();
                    }
                    int round = phase.round;
                    phase.rivalRound = round;
                    rivalEntries.incrementAndGet();
                    got.get().release();
                    // At most one entry per round: wait for the next (or stop).
                    Await.until("next round", () -> phase.round != round || phase.stop);
                }
                Thread.onSpinWait();
            }
        });
        try {
            for (int i = 0; i < rounds; i++) {
                phase.round = i;
                Guard w = write.lock();
                phase.mainHolds = true;
                Guard r = rw.downgrade(w);
                for (int spin = i % 50; spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                phase.mainHolds = false;
                r.release();
                if (i % 2 == 0) {
                    // Let the rival in once per even round, so that it is sometimes the one holding
                    // when the next round's write.lock() comes.
                    int round = i;
                    Await.until("the rival writer gets in", () -> phase.rivalRound == round);
                }
            }
        } finally {
            phase.stop = true;
            Await.terminated(rival);
        }
        assertEquals(0, violations.get(), "a writer entered while the downgraded hold was live");
        System.out.println("noWriterEntersDuringADowngrade: rival writer got in " + rivalEntries + " times between rounds");
        assertFree();
    }

    /** Everything downgrade must reject, without changing anything. */
    enum NotALiveWriteGuard {
        READ_GUARD(t -> t.readGuard()),
        RELEASED_WRITE_GUARD(t -> {
            Guard w = t.writeGuard();
            w.release();
            return w;
        }),
        ALREADY_DOWNGRADED_WRITE_GUARD(t -> {
            Guard w = t.writeGuard();
            t.rw.downgrade(w).release();
            return w;
        }),
        ANOTHER_LOCKS_WRITE_GUARD(t -> new AsyncRwLock().writeLock().tryAcquire().orElseThrow()),
        ANOTHER_LOCKS_READ_GUARD(t -> new AsyncRwLock().readLock().tryAcquire().orElseThrow()),
        MUTEX_GUARD(t -> new AsyncMutex().tryAcquire().orElseThrow()),
        SEMAPHORE_GUARD(t -> new AsyncSemaphore(1 << 30).tryAcquire(1 << 30).orElseThrow()),
        FOREIGN_GUARD(t -> new AbstractAsyncLockContractTest.ForeignGuard()),
        PENDING_WRITE_ACQUISITION(t -> {
            // The stage of an acquisition still in the queue happens to be a Guard object too.
            CompletableFuture<Guard> pending = t.write.acquire().toCompletableFuture();
            return pending instanceof Guard g ? g : new AbstractAsyncLockContractTest.ForeignGuard();
        });

        final Function<AsyncRwLockTest, Guard> make;

        NotALiveWriteGuard(Function<AsyncRwLockTest, Guard> make) {
            this.make = make;
        }
    }

    @ParameterizedTest
    @EnumSource(NotALiveWriteGuard.class)
    void downgradeRejectsAnythingButALiveWriteGuardOfThisLock(NotALiveWriteGuard kind) {
        Guard holder = kind == NotALiveWriteGuard.PENDING_WRITE_ACQUISITION ? readGuard() : null;
        Guard bad = kind.make.apply(this);
        boolean wasReleased = bad.isReleased();
        int readers = rw.readers();
        boolean writeLocked = rw.isWriteLocked();
        int queued = rw.queueLength();
        assertThrows(IllegalArgumentException.class, () -> rw.downgrade(bad));
        assertEquals(wasReleased, bad.isReleased(), "the guard is unchanged");
        assertEquals(readers, rw.readers());
        assertEquals(writeLocked, rw.isWriteLocked());
        assertEquals(queued, rw.queueLength());
        if (holder != null) {
            holder.release();
            Guard granted = assertGranted(((CompletableFuture<?>) bad).thenApply(Guard.class::cast));
            assertFalse(granted.isReleased());
            granted.release();
        }
        bad.release();
        assertFree();
    }

    @Test
    void downgradeOfNullNamesTheParameter() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> rw.downgrade(null));
        assertTrue(String.valueOf(e.getMessage()).contains("writeGuard"), e.getMessage());
    }

    @Test
    void aWriteGuardDowngradedOnAnotherThreadIsReleasedOnce() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            Guard w = writeGuard();
            CompletableFuture<Guard> downgraded = new CompletableFuture<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    downgraded.complete(rw.downgrade(w));
                } catch (IllegalArgumentException lostToRelease) {
                    downgraded.complete(null);
                }
            });
            w.release();
            Await.terminated(other);
            Guard r = downgraded.join();
            if (r != null) {
                assertEquals(1, rw.readers(), "round " + i);
                r.release();
            }
            assertFree();
        }
    }

    // ---- builder and monitoring -------------------------------------------------------------------

    @Test
    void builderRejectsNullsNamingTheParameter() {
        NullPointerException name = assertThrows(NullPointerException.class, () -> AsyncRwLock.builder().name(null));
        assertTrue(String.valueOf(name.getMessage()).contains("name"));
        NullPointerException executor = assertThrows(NullPointerException.class,
                () -> AsyncRwLock.builder().executor(null));
        assertTrue(String.valueOf(executor.getMessage()).contains("executor"));
    }

    @Test
    void toStringShowsTheNameAndState() {
        AsyncRwLock named = AsyncRwLock.builder().name("routes").build();
        assertTrue(named.toString().contains("routes"), named.toString());
        assertTrue(named.toString().contains("free"), named.toString());
        Guard r = named.readLock().tryAcquire().orElseThrow();
        assertTrue(named.toString().contains("read by 1"), named.toString());
        r.release();
        Guard w = named.writeLock().tryAcquire().orElseThrow();
        assertTrue(named.toString().contains("write-locked"), named.toString());
        w.release();
    }

    // ---- read-mostly mutual exclusion -------------------------------------------------------------

    /** 10,000 virtual threads, 95% reads: no reader ever sees a writer inside, nor a writer anyone. */
    @Test
    @SuppressWarnings("try") // the guard is only there to be closed
    void readMostlyVirtualThreadsNeverSeeAWriterInside() throws Exception {
        long seed = AbstractAsyncLockContractTest.SEED;
        System.out.println("readMostlyVirtualThreadsNeverSeeAWriterInside: seed " + seed);
        int threads = 10_000;
        int opsPerThread = 20;
        AtomicInteger readersInside = new AtomicInteger();
        AtomicInteger writersInside = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger maxReadersTogether = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        int[] unguarded = {0};
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + t);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < opsPerThread; i++) {
                        if (random.nextInt(100) < 95) {
                            try (Guard g = random.nextBoolean() ? read.lock() : Await.value(read.acquire())) {
                                int together = readersInside.incrementAndGet();
                                maxReadersTogether.accumulateAndGet(together, Math::max);
                                if (writersInside.get() != 0) {
                                    violations.incrementAndGet();
                                }
                                Thread.yield();
                                readersInside.decrementAndGet();
                            }
                        } else {
                            try (Guard g = write.lock()) {
                                if (writersInside.incrementAndGet() != 1 || readersInside.get() != 0) {
                                    violations.incrementAndGet();
                                }
                                unguarded[0]++;
                                writes.incrementAndGet();
                                writersInside.decrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertEquals(0, violations.get(), "seed " + seed + ": a reader saw a writer, or a writer saw anyone");
        assertEquals(writes.get(), unguarded[0], "seed " + seed + ": lost updates under the write lock");
        System.out.println("readMostly: " + writes + " writes, up to " + maxReadersTogether + " readers together");
        assertFree();
    }
}
