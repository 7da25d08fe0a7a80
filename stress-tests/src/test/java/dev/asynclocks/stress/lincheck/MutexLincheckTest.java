package dev.asynclocks.stress.lincheck;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

import java.util.List;

/** {@code AsyncMutex} against {@link SequentialMutex}, in model-checking and stress mode. */
class MutexLincheckTest extends LincheckSuite {

    /**
     * Thread 1 holds; threads 2 and 3 queue in that order. Thread 1 releases while thread 2
     * releases and thread 3 cancels: the grant must go to thread 2's ticket, and thread 3's
     * cancel must win or lose consistently with it.
     */
    static ExecutionScenario handOffToOldest(Class<?> operations) {
        return new CustomScenario(operations)
                .init("tryAcquire", 1).init("acquire", 2).init("acquire", 3)
                .thread(1, "release", 1)
                .thread(2, "release", 2)
                .thread(3, "cancel", 3)
                .post("release", 2).post("release", 3)
                .build();
    }

    /** A tryAcquire racing with the release that hands the lock to a waiter must not win. */
    static ExecutionScenario tryDuringHandOff(Class<?> operations) {
        return new CustomScenario(operations)
                .init("tryAcquire", 1).init("acquire", 2)
                .thread(1, "release", 1)
                .thread(2, "tryAcquire", 3)
                .post("release", 2)
                .build();
    }

    /**
     * Thread 1 releases to waiting thread 2 while thread 3 asks {@code isLocked()}: the mutex
     * passes straight from holder to waiter, so it is locked throughout. (Until core's commit
     * eb7c8cd, isLocked() could read the permits of the release before the grant took them.)
     */
    static ExecutionScenario isLockedDuringHandOff() {
        return new CustomScenario(MutexOperations.class)
                .init("tryAcquire", 1).init("acquire", 2)
                .thread(1, "release", 1)
                .thread(2, "isLocked")
                .thread(3, "queueLength")
                .build();
    }

    MutexLincheckTest() {
        super(MutexOperations.class, SequentialMutex.class,
                List.of(handOffToOldest(MutexOperations.class), tryDuringHandOff(MutexOperations.class),
                        isLockedDuringHandOff()));
    }
}
