package dev.asynclocks.stress.lincheck;

/**
 * The sequential specification of {@link RwLockOperations}: {@code maxReaders} permits, a read
 * takes one, a write all, one FIFO queue for both (a reader behind a waiting writer waits).
 *
 * {@snippet :
 * new StressOptions().sequentialSpecification(SequentialRwLock.class).check(RwLockOperations.class);
 * }
 */
public class SequentialRwLock extends SequentialFifoPermits {

    public SequentialRwLock() {
        super(RwLockOperations.MAX_READERS);
    }

    public boolean tryRead(int tid) {
        return tryTake(tid, 1, Kind.TRY);
    }

    public boolean tryWrite(int tid) {
        return tryTake(tid, RwLockOperations.MAX_READERS, Kind.TRY);
    }

    public void read(int tid) {
        take(tid, 1, Kind.ACQUIRE);
    }

    public void write(int tid) {
        take(tid, RwLockOperations.MAX_READERS, Kind.ACQUIRE);
    }

    public int release(int tid) {
        return releaseOldestHeld(tid);
    }

    public String cancel(int tid) {
        return cancelNewestAcquire(tid);
    }

    public boolean isWriteLocked() {
        return heldTickets(RwLockOperations.MAX_READERS) > 0;
    }

    public int readers() {
        return heldTickets(1);
    }

    public int queueLength() {
        return waiting();
    }

    public boolean downgrade(int tid) {
        return downgradeOldestExclusive(tid);
    }
}
