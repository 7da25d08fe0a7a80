package dev.asynclocks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

import static dev.asynclocks.StageAssertions.assertFailedWith;
import static dev.asynclocks.StageAssertions.assertGranted;
import static dev.asynclocks.StageAssertions.assertPending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 15, item 2: upgradable reads on {@link AsyncRwLock}. At most one upgradable hold, sharing
 * the lock with plain readers and excluding writers; upgrading waits for the plain readers and
 * lets no writer in between; cancelled, timed-out, interrupted or closed-out upgrades leave the
 * upgradable hold held. (The {@link AsyncLock} contract of the view itself:
 * {@link AsyncRwLockUpgradableContractTest}.) With {@code -Ddev.asynclocks.maxReaders=2} an upgradable
 * hold excludes plain readers: {@link SmallMaxReadersRwLockTest} covers that case.
 */
class UpgradableReadTest {

    @BeforeAll
    static void readersShareWithAnUpgradableHold() {
        assumeTrue(Integer.getInteger("dev.asynclocks.maxReaders", 1 << 30) > 2,
                "with maxReaders=2 an upgradable hold excludes readers (SmallMaxReadersRwLockTest)");
    }

    private final AsyncRwLock rw = new AsyncRwLock();
    private final AsyncLock upgradable = rw.upgradableReadLock();

    private void assertFree() {
        assertEquals(0, rw.queueLength(), rw.toString());
        assertEquals(0, rw.readers(), rw.toString());
        assertFalse(rw.isWriteLocked(), rw.toString());
        rw.writeLock().tryAcquire().orElseThrow(() -> new AssertionError("not free: " + rw)).release();
    }

    // ---- sharing and exclusion ------------------------------------------------------------------

    @Test
    void anUpgradableHoldSharesWithReadersAndExcludesWritersAndOtherUpgradableHolds() {
        Guard check = upgradable.tryAcquire().orElseThrow();
        Guard read = rw.readLock().tryAcquire().orElseThrow();
        assertEquals(2, rw.readers(), "the upgradable hold counts as one reader");
        assertTrue(rw.writeLock().tryAcquire().isEmpty());
        assertTrue(upgradable.tryAcquire().isEmpty(), "one upgradable hold at a time");
        CompletionStage<Guard> second = upgradable.acquire();
        assertPending(second);
        read.release();
        check.release();
        assertTrue(check.isReleased());
        Guard next = assertGranted(second);
        next.release();
        assertFree();
    }

    @Test
    void upgradableAcquisitionsQueueInFifoOrderWithEveryoneElse() {
        Guard writer = rw.writeLock().tryAcquire().orElseThrow();
        List<String> order = new ArrayList<>();
        CompletionStage<Guard> reader = rw.readLock().acquire();
        CompletionStage<Guard> up = upgradable.acquire();
        CompletionStage<Guard> secondWriter = rw.writeLock().acquire();
        reader.thenRun(() -> order.add("reader"));
        up.thenRun(() -> order.add("upgradable"));
        secondWriter.thenRun(() -> order.add("writer"));
        assertTrue(upgradable.tryAcquire().isEmpty(), "a try never barges");
        writer.release();
        assertEquals(List.of("reader", "upgradable"), order, "consecutive readers at the head go together");
        assertGranted(reader).release();
        assertGranted(up).release();
        assertEquals(List.of("reader", "upgradable", "writer"), order);
        assertGranted(secondWriter).release();
        assertFree();
    }

    // ---- upgrading ------------------------------------------------------------------------------

    @Test
    void anUpgradeWithoutReadersIsGrantedAtOnce() throws Exception {
        Guard check = upgradable.lock();
        Guard write = rw.lockUpgrade(check);
        assertTrue(rw.isWriteLocked());
        assertTrue(check.isReleased(), "the upgradable guard's permits are the write guard's now");
        check.release(); // a no-op
        assertTrue(rw.isWriteLocked());
        assertTrue(rw.readLock().tryAcquire().isEmpty());
        write.release();
        assertFree();
    }

    @Test
    void anUpgradeWaitsForThePlainReadersAndLetsNoWriterInBetween() {
        Guard check = upgradable.tryAcquire().orElseThrow();
        Guard r1 = rw.readLock().tryAcquire().orElseThrow();
        Guard r2 = rw.readLock().tryAcquire().orElseThrow();
        CompletionStage<Guard> writer = rw.writeLock().acquire();       // waits for the upgradable hold
        CompletionStage<Guard> lateReader = rw.readLock().acquire();   // queues behind the writer
        CompletionStage<Guard> upgrade = rw.upgrade(check);
        assertPending(upgrade);
        assertEquals(3, rw.queueLength());
        r1.release();
        assertPending(upgrade);
        r2.release();
        Guard write = assertGranted(upgrade);
        assertPending(writer);
        assertPending(lateReader);
        assertTrue(rw.isWriteLocked());
        write.release();
        Guard w = assertGranted(writer);
        assertPending(lateReader);
        w.release();
        assertGranted(lateReader).release();
        assertFree();
    }

    @Test
    void aCancelledUpgradeLeavesTheUpgradableHoldHeld() {
        Guard check = upgradable.tryAcquire().orElseThrow();
        Guard reader = rw.readLock().tryAcquire().orElseThrow();
        CompletableFuture<Guard> upgrade = rw.upgrade(check).toCompletableFuture();
        CompletionStage<Guard> writer = rw.writeLock().acquire();
        assertTrue(upgrade.cancel(false));
        assertFalse(check.isReleased(), "still held");
        assertEquals(1, rw.queueLength(), "only the writer waits");
        assertTrue(rw.writeLock().tryAcquire().isEmpty());
        reader.release();
        assertPending(writer); // the upgradable hold still excludes it
        Guard write = assertGranted(rw.upgrade(check)); // the same guard upgrades again
        write.release();
        assertGranted(writer).release();
        assertFree();
    }

    @Test
    void aTimedOutUpgradeLeavesTheUpgradableHoldHeld() throws Exception {
        Guard check = upgradable.tryAcquire().orElseThrow();
        Guard reader = rw.readLock().tryAcquire().orElseThrow();
        assertFailedWith(TimeoutException.class, rw.upgrade(check, Duration.ZERO));
        assertFalse(check.isReleased());
        assertThrows(TimeoutException.class, () -> rw.lockUpgrade(check, Duration.ZERO));
        assertFalse(check.isReleased());
        CompletionStage<Guard> timed = rw.upgrade(check, Duration.ofMillis(20));
        Await.done(timed);
        TimeoutException timeout = assertFailedWith(TimeoutException.class, timed);
        assertTrue(timeout.getMessage().contains("AsyncRwLock"), timeout.getMessage());
        assertFalse(check.isReleased());
        assertThrows(TimeoutException.class, () -> rw.lockUpgrade(check, Duration.ofMillis(20)));
        assertFalse(check.isReleased());
        assertEquals(0, rw.queueLength());
        reader.release();
        rw.lockUpgrade(check, Duration.ZERO).release();
        assertFree();
    }

    @Test
    void aParkedUpgradeWaitsForTheReaderAndAnInterruptLeavesTheUpgradableHoldHeld() throws Exception {
        Guard check = upgradable.lock();
        Guard reader = rw.readLock().lock();
        CompletableFuture<Throwable> interrupted = new CompletableFuture<>();
        Thread upgrader = Thread.ofVirtual().start(() -> {
            try {
                rw.lockUpgrade(check).release();
                interrupted.complete(null);
            } catch (Throwable t) {
                interrupted.complete(t);
            }
        });
        Await.until("the upgrade queued", () -> rw.queueLength() == 1);
        upgrader.interrupt();
        assertTrue(Await.value(interrupted) instanceof InterruptedException, String.valueOf(interrupted.join()));
        assertFalse(check.isReleased());
        assertEquals(0, rw.queueLength());

        CompletableFuture<Guard> granted = new CompletableFuture<>();
        Thread second = Thread.ofVirtual().start(() -> {
            try {
                granted.complete(rw.lockUpgrade(check, Duration.ofMinutes(1)));
            } catch (Throwable t) {
                granted.completeExceptionally(t);
            }
        });
        Await.until("the upgrade queued again", () -> rw.queueLength() == 1);
        assertPending(granted);
        reader.release();
        Await.value(granted).release();
        Await.terminated(second);
        Await.terminated(upgrader);
        assertFree();
    }

    @Test
    void anInterruptBeforeTheCallChangesNothing() {
        Guard check = upgradable.tryAcquire().orElseThrow();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> rw.lockUpgrade(check));
        assertFalse(Thread.interrupted());
        assertFalse(check.isReleased());
        check.release();
        assertFree();
    }

    @Test
    void closingFailsAWaitingUpgradeAndLeavesTheUpgradableHoldHeld() {
        Guard check = upgradable.tryAcquire().orElseThrow();
        Guard reader = rw.readLock().tryAcquire().orElseThrow();
        CompletionStage<Guard> upgrade = rw.upgrade(check);
        assertTrue(rw.close(new IllegalStateException("shutdown")));
        assertFailedWith(LockClosedException.class, upgrade);
        assertFalse(check.isReleased());
        assertFailedWith(LockClosedException.class, rw.upgrade(check));
        assertThrows(LockClosedException.class, () -> rw.lockUpgrade(check));
        assertFalse(check.isReleased());
        reader.release();
        check.release();
        assertEquals(0, rw.readers());
        assertFalse(rw.isWriteLocked());
    }

    @Test
    void releasingTheUpgradableGuardWhileItsUpgradeWaitsLetsTheUpgradeDecide() {
        Guard check = upgradable.tryAcquire().orElseThrow();
        Guard reader = rw.readLock().tryAcquire().orElseThrow();
        CompletableFuture<Guard> upgrade = rw.upgrade(check).toCompletableFuture();
        check.release();
        assertTrue(check.isReleased());
        assertTrue(rw.writeLock().tryAcquire().isEmpty(), "the permits stay with the upgrade");
        assertTrue(upgrade.cancel(false));
        reader.release();
        assertFree();

        Guard again = upgradable.tryAcquire().orElseThrow();
        Guard reader2 = rw.readLock().tryAcquire().orElseThrow();
        CompletionStage<Guard> upgrade2 = rw.upgrade(again);
        again.release();
        reader2.release();
        Guard write = assertGranted(upgrade2);
        assertTrue(rw.isWriteLocked(), "granted: the write guard holds everything");
        write.release();
        assertFree();
    }

    @Test
    void aReleasedUpgradableGuardTimingOutGivesItsPermitsBack() {
        Guard check = upgradable.tryAcquire().orElseThrow();
        Guard reader = rw.readLock().tryAcquire().orElseThrow();
        CompletionStage<Guard> upgrade = rw.upgrade(check, Duration.ofMillis(20));
        check.release();
        Await.done(upgrade);
        assertFailedWith(TimeoutException.class, upgrade);
        reader.release();
        assertFree();
    }

    // ---- going back down -----------------------------------------------------------------------

    @Test
    void aWriteHoldGoesBackToAnUpgradableHoldAndUpAgain() throws Exception {
        Guard write = rw.writeLock().lock();
        CompletionStage<Guard> reader = rw.readLock().acquire();
        CompletionStage<Guard> writer = rw.writeLock().acquire();
        Guard check = rw.downgradeToUpgradable(write);
        assertTrue(write.isReleased());
        assertFalse(rw.isWriteLocked());
        Guard read = assertGranted(reader); // readers at the head come in; the writer keeps waiting
        assertPending(writer);
        assertEquals(2, rw.readers());
        assertThrows(IllegalArgumentException.class, () -> rw.downgradeToUpgradable(write), "released already");
        read.release();
        Guard write2 = rw.lockUpgrade(check);
        Guard plain = rw.downgrade(write2);        // an upgraded write guard downgrades to a plain read too
        assertEquals(1, rw.readers());
        plain.release();
        assertGranted(writer).release();
        assertFree();
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Test
    void onlyALiveUpgradableGuardOfThisLockUpgradesAndBadInputChangesNothing() {
        Guard check = upgradable.tryAcquire().orElseThrow();
        Guard read = rw.readLock().tryAcquire().orElseThrow();
        AsyncRwLock other = new AsyncRwLock();
        Guard foreign = other.upgradableReadLock().tryAcquire().orElseThrow();
        assertThrows(NullPointerException.class, () -> rw.upgrade(null));
        assertThrows(NullPointerException.class, () -> rw.upgrade(check, null));
        assertThrows(NullPointerException.class, () -> rw.lockUpgrade(null));
        assertThrows(NullPointerException.class, () -> rw.lockUpgrade(check, null));
        assertThrows(NullPointerException.class, () -> rw.downgradeToUpgradable(null));
        assertThrows(IllegalArgumentException.class, () -> rw.upgrade(check, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> rw.lockUpgrade(check, Duration.ofMillis(-1)));
        IllegalArgumentException notUpgradable = assertThrows(IllegalArgumentException.class, () -> rw.upgrade(read));
        assertTrue(notUpgradable.getMessage().contains("not an upgradable read guard"), notUpgradable.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rw.upgrade(foreign));
        assertThrows(IllegalArgumentException.class, () -> rw.downgradeToUpgradable(read));
        assertThrows(IllegalArgumentException.class, () -> rw.downgradeToUpgradable(check));
        assertThrows(IllegalArgumentException.class, () -> rw.downgrade(check));
        assertFalse(check.isReleased());
        read.release();

        Guard reader = rw.readLock().tryAcquire().orElseThrow();
        CompletableFuture<Guard> pending = rw.upgrade(check).toCompletableFuture();
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> rw.upgrade(check));
        assertTrue(twice.getMessage().contains("being upgraded"), twice.getMessage());
        reader.release();
        Guard write = assertGranted(pending);
        assertThrows(IllegalArgumentException.class, () -> rw.upgrade(check), "upgraded: released");
        write.release();
        foreign.release();
        assertFree();
    }

    @Test
    void guardsSayWhatTheyAre() {
        Guard check = upgradable.tryAcquire().orElseThrow();
        assertTrue(check.toString().contains("upgradable read, held"), check.toString());
        check.release();
        assertTrue(check.toString().contains("released"), check.toString());
        assertSame(upgradable, rw.upgradableReadLock());
    }

    // ---- self-deadlock detection ------------------------------------------------------------------

    @Test
    void anUpgradableHoldCountsForSelfDeadlockDetection() throws Exception {
        AsyncRwLock detecting = AsyncRwLock.builder().detectSelfDeadlock().build();
        Guard check = detecting.upgradableReadLock().lock();
        assertThrows(IllegalStateException.class, () -> detecting.writeLock().lock());
        assertThrows(IllegalStateException.class, () -> detecting.upgradableReadLock().lock());
        Guard write = detecting.lockUpgrade(check);
        assertThrows(IllegalStateException.class, () -> detecting.readLock().lock());
        Guard again = detecting.downgradeToUpgradable(write);
        assertThrows(IllegalStateException.class, () -> detecting.writeLock().lock());
        again.release();
        detecting.writeLock().lock().release(); // nothing counted any more
        Guard async = detecting.upgradableReadLock().acquire().toCompletableFuture().join();
        Guard upgraded = detecting.upgrade(async).toCompletableFuture().join();
        upgraded.release();
        detecting.writeLock().lock().release();
    }

    /** Review of 17627d2: a read taken again behind a queued upgrade, and an upgrade waiting for the thread's own read. */
    @Test
    void selfDeadlocksAroundAnUpgradeAreRefused() throws Exception {
        AsyncRwLock detecting = AsyncRwLock.builder().detectSelfDeadlock().build();
        Guard read = detecting.readLock().lock();
        Guard check = detecting.upgradableReadLock().tryAcquire().orElseThrow(); // another party's, in effect
        CompletableFuture<Guard> upgrade = detecting.upgrade(check).toCompletableFuture(); // waits for `read`
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> detecting.readLock().lock());
        assertTrue(again.getMessage().contains("would wait for itself"), again.getMessage());
        read.release();
        Guard write = assertGranted(upgrade);
        write.release();

        Guard myCheck = detecting.upgradableReadLock().lock();
        Guard myRead = detecting.readLock().lock();
        IllegalStateException upgradeOwn = assertThrows(IllegalStateException.class, () -> detecting.lockUpgrade(myCheck));
        assertTrue(upgradeOwn.getMessage().contains("lockUpgrade() would wait forever"), upgradeOwn.getMessage());
        assertFalse(myCheck.isReleased(), "refused: the upgradable hold is still held");
        assertEquals(0, detecting.queueLength());
        myRead.release();
        detecting.lockUpgrade(myCheck).release();
        detecting.writeLock().lock().release();
    }

    @Test
    void anInterruptedParkedUpgradeIsCountedOnce() throws Exception {
        Guard check = upgradable.lock();
        Guard reader = rw.readLock().lock();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread upgrader = Thread.ofVirtual().start(() -> {
            try {
                rw.lockUpgrade(check);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Await.until("the upgrade queued", () -> rw.queueLength() == 1);
        upgrader.interrupt();
        assertTrue(Await.value(outcome) instanceof InterruptedException);
        assertEquals(1, rw.stats().cancellations(), "withdrawn once: " + rw.stats());
        reader.release();
        check.release();
        assertFree();
    }
}
