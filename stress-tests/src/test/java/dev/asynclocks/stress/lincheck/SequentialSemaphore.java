package dev.asynclocks.stress.lincheck;

/**
 * The sequential specification of {@link SemaphoreOperations}: a weighted FIFO semaphore.
 *
 * {@snippet :
 * new StressOptions().sequentialSpecification(SequentialSemaphore.class).check(SemaphoreOperations.class);
 * }
 */
public class SequentialSemaphore extends SequentialFifoPermits {

    public SequentialSemaphore() {
        this(SemaphoreOperations.PERMITS);
    }

    /** For a subclass: a semaphore that starts with {@code permits}. */
    protected SequentialSemaphore(int permits) {
        super(permits);
    }

    public boolean tryAcquire(int tid, int n) {
        return tryTake(tid, n, Kind.TRY);
    }

    public void acquire(int tid, int n) {
        take(tid, n, Kind.ACQUIRE);
    }

    public void withPermits(int tid, int n) {
        take(tid, n, Kind.WITH_LOCK);
    }

    public int release(int tid) {
        return releaseOldestHeld(tid);
    }

    public String cancel(int tid) {
        return cancelNewestAcquire(tid);
    }

    public int availablePermits() {
        return freePermits();
    }

    public int queueLength() {
        return waiting();
    }
}
