package dev.asynclocks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static dev.asynclocks.StageAssertions.assertGranted;
import static dev.asynclocks.StageAssertions.assertPending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The read-write lock with {@code -Ddev.asynclocks.maxReaders=2}, the small bound that checkers use:
 * readers beyond the bound wait like writers. Run by core's second surefire execution
 * ({@code small-max-readers}), which sets the property for its own JVM; skipped elsewhere.
 */
class SmallMaxReadersRwLockTest {

    @BeforeAll
    static void onlyWithTwoMaxReaders() {
        assumeTrue(Integer.getInteger("dev.asynclocks.maxReaders", 1 << 30) == 2,
                "needs -Ddev.asynclocks.maxReaders=2 (the small-max-readers surefire execution)");
    }

    private final AsyncRwLock rw = new AsyncRwLock();
    private final AsyncLock read = rw.readLock();
    private final AsyncLock write = rw.writeLock();

    private void assertFree() {
        assertEquals(0, rw.queueLength());
        write.tryAcquire().orElseThrow(() -> new AssertionError("not free: " + rw)).release();
    }

    @Test
    void aThirdReaderWaitsLikeAWriter() {
        Guard r1 = read.tryAcquire().orElseThrow();
        Guard r2 = assertGranted(read.acquire());
        CompletionStage<Guard> r3 = read.acquire();
        assertPending(r3);
        assertTrue(read.tryAcquire().isEmpty());
        CompletionStage<Guard> w = write.acquire();
        r1.release();
        Guard g3 = assertGranted(r3);
        assertPending(w);
        r2.release();
        assertPending(w);
        g3.release();
        assertGranted(w).release();
        assertFree();
    }

    @Test
    void downgradeAdmitsOneMoreReader() {
        Guard w = write.tryAcquire().orElseThrow();
        CompletionStage<Guard> r1 = read.acquire();
        CompletionStage<Guard> r2 = read.acquire();
        Guard r = rw.downgrade(w);
        Guard g1 = assertGranted(r1);
        assertPending(r2);
        r.release();
        Guard g2 = assertGranted(r2);
        g1.release();
        g2.release();
        assertFree();
    }

    @Test
    void monitoringTellsReadersFromAWriterWhenAllReadPermitsAreTaken() {
        Guard r1 = read.tryAcquire().orElseThrow();
        Guard r2 = read.tryAcquire().orElseThrow();
        assertEquals(2, rw.readers());
        assertFalse(rw.isWriteLocked());
        assertFalse(rw.toString().contains("write-locked"), rw.toString());
        r1.release();
        r2.release();
    }

    @Test
    void behavesLikeTheModelInGrantsAndQueue() {
        FifoModelCrossCheckTest.check(new FifoModelCrossCheckTest.Named("AsyncRwLock(maxReaders=2)",
                () -> FifoModelCrossCheckTest.rwLock(false)));
    }

    @Test
    void behavesLikeTheModelIncludingMonitoring() {
        FifoModelCrossCheckTest.check(new FifoModelCrossCheckTest.Named("AsyncRwLock(maxReaders=2)",
                () -> FifoModelCrossCheckTest.rwLock(true)));
    }

    @Test
    @SuppressWarnings("try") // the guard is only there to be closed
    void readersAndWritersExcludeCorrectly() throws Exception {
        java.util.concurrent.atomic.AtomicInteger readersInside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger writersInside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger violations = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<?>[] done = new CompletableFuture<?>[1_000];
        for (int t = 0; t < done.length; t++) {
            boolean writer = t % 10 == 0;
            done[t] = AcquireStyle.inVirtualThread(() -> {
                for (int i = 0; i < 20; i++) {
                    try (Guard g = (writer ? write : read).lock()) {
                        if (writer) {
                            if (writersInside.incrementAndGet() != 1 || readersInside.get() != 0) {
                                violations.incrementAndGet();
                            }
                            writersInside.decrementAndGet();
                        } else {
                            if (readersInside.incrementAndGet() > 2 || writersInside.get() != 0) {
                                violations.incrementAndGet();
                            }
                            Thread.yield();
                            readersInside.decrementAndGet();
                        }
                    }
                }
                return null;
            });
        }
        CompletableFuture.allOf(done).get(Await.LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, violations.get());
        assertFree();
    }

    /** With two permits an upgradable hold needs both: it excludes readers, and upgrades at once. */
    @Test
    void anUpgradableHoldExcludesReadersAndUpgradesAtOnce() throws Exception {
        AsyncLock upgradable = rw.upgradableReadLock();
        Guard check = upgradable.tryAcquire().orElseThrow();
        assertFalse(rw.isWriteLocked(), "an upgradable hold is not a write hold");
        assertEquals(1, rw.readers());
        assertTrue(read.tryAcquire().isEmpty());
        assertTrue(write.tryAcquire().isEmpty());
        CompletionStage<Guard> reader = read.acquire();
        Guard w = rw.lockUpgrade(check);
        assertTrue(rw.isWriteLocked());
        assertTrue(check.isReleased());
        Guard back = rw.downgradeToUpgradable(w);
        assertFalse(rw.isWriteLocked());
        assertPending(reader);
        back.release();
        assertGranted(reader).release();
        assertFree();
    }
}
