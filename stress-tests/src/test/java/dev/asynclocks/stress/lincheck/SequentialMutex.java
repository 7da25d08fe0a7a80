package dev.asynclocks.stress.lincheck;

/**
 * The sequential specification of {@link MutexOperations}: a FIFO queue and one permit.
 *
 * {@snippet :
 * new StressOptions().sequentialSpecification(SequentialMutex.class).check(MutexOperations.class);
 * }
 */
public class SequentialMutex extends SequentialFifoPermits {

    public SequentialMutex() {
        super(1);
    }

    public boolean tryAcquire(int tid) {
        return tryTake(tid, 1, Kind.TRY);
    }

    public void acquire(int tid) {
        take(tid, 1, Kind.ACQUIRE);
    }

    public void withLock(int tid) {
        take(tid, 1, Kind.WITH_LOCK);
    }

    public int release(int tid) {
        return releaseOldestHeld(tid);
    }

    public String cancel(int tid) {
        return cancelNewestAcquire(tid);
    }

    public boolean isLocked() {
        return freePermits() == 0 || waiting() > 0;
    }

    public int queueLength() {
        return waiting();
    }
}
