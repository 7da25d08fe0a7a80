package dev.asynclocks.stress.lincheck;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;

/**
 * {@link SemaphoreOperations} on a semaphore that starts with {@value #START} permit and whose
 * total changes: {@code addPermits} and {@code forgetPermits} are operations too;
 * {@link SequentialSemaphoreCapacity} is their specification. Requests of up to 3 permits may be
 * larger than the total: they wait for an addition.
 *
 * {@snippet :
 * new ModelCheckingOptions().sequentialSpecification(SequentialSemaphoreCapacity.class).check(SemaphoreCapacityOperations.class);
 * }
 */
@Param(name = "k", gen = IntGen.class, conf = "1:2")
public class SemaphoreCapacityOperations extends SemaphoreOperations {

    static final int START = 1;

    public SemaphoreCapacityOperations() {
        super(START);
    }

    @Operation
    public void addPermits(@Param(name = "k") int k) {
        semaphore.addPermits(k);
    }

    @Operation
    public int forgetPermits(@Param(name = "k") int k) {
        return semaphore.forgetPermits(k);
    }

    /** Not random: the total is a monitoring snapshot; hand-written scenarios read it at rest. */
    public int totalPermits() {
        return semaphore.totalPermits();
    }
}
