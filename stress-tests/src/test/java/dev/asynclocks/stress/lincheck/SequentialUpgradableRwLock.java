package dev.asynclocks.stress.lincheck;

/**
 * The sequential specification of {@link UpgradableRwLockOperations}: {@code maxReaders} permits,
 * a read takes one, an upgradable read more than half, a write all; one FIFO queue, but for an
 * upgrade, which goes to its head (everyone queued waits for the upgradable hold anyway).
 *
 * {@snippet :
 * new StressOptions().sequentialSpecification(SequentialUpgradableRwLock.class).check(UpgradableRwLockOperations.class);
 * }
 */
public class SequentialUpgradableRwLock extends SequentialFifoPermits {

    private static final int WRITE = UpgradableRwLockOperations.MAX_READERS;
    private static final int UPGRADABLE = UpgradableRwLockOperations.UPGRADABLE;

    public SequentialUpgradableRwLock() {
        super(WRITE);
    }

    public boolean tryRead(int tid) {
        return tryTake(tid, 1, Kind.TRY);
    }

    public void read(int tid) {
        take(tid, 1, Kind.ACQUIRE);
    }

    public void write(int tid) {
        take(tid, WRITE, Kind.ACQUIRE);
    }

    public boolean tryUpgradable(int tid) {
        return tryTake(tid, UPGRADABLE, Kind.TRY);
    }

    public void upgradable(int tid) {
        take(tid, UPGRADABLE, Kind.ACQUIRE);
    }

    public boolean upgrade(int tid) {
        return upgradeOldest(tid, UPGRADABLE);
    }

    public int release(int tid) {
        return releaseOldestHeld(tid);
    }

    public String cancel(int tid) {
        return cancelNewestAcquire(tid);
    }

    public boolean isWriteLocked() {
        return heldTickets(WRITE) > 0;
    }

    public int readers() {
        return heldTickets(1) + heldTickets(UPGRADABLE);
    }

    public int queueLength() {
        return waiting();
    }
}
