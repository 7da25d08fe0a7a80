package dev.asynclocks.stress.lincheck;

/**
 * The sequential specification of {@link SemaphoreCapacityOperations}: a weighted FIFO semaphore
 * whose total grows by additions (granted from the head) and shrinks by forgetting free permits.
 *
 * {@snippet :
 * new StressOptions().sequentialSpecification(SequentialSemaphoreCapacity.class).check(SemaphoreCapacityOperations.class);
 * }
 */
public class SequentialSemaphoreCapacity extends SequentialSemaphore {

    private int total = SemaphoreCapacityOperations.START;

    public SequentialSemaphoreCapacity() {
        super(SemaphoreCapacityOperations.START);
    }

    public void addPermits(int k) {
        total += k;
        addFree(k);
    }

    public int forgetPermits(int k) {
        int forgotten = forgetFree(k);
        total -= forgotten;
        return forgotten;
    }

    public int totalPermits() {
        return total;
    }
}
