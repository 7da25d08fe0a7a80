package dev.asynclocks.stress.lincheck;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

import java.util.List;

/** {@code AsyncMutex} with {@code close} against {@link SequentialClosableMutex}. */
class CloseLincheckTest extends LincheckSuite {

    /**
     * Thread 1 holds; threads 2 and 3 queue. Thread 1 releases (granting thread 2) while thread 3
     * closes and thread 2 cancels: thread 2 is granted or failed, never both, and thread 3's close
     * fails whatever still waits.
     */
    static ExecutionScenario closeDuringHandOff() {
        return new CustomScenario(ClosableMutexOperations.class)
                .init("tryAcquire", 1).init("acquire", 2).init("acquire", 3)
                .thread(1, "release", 1)
                .thread(2, "cancel", 2)
                .thread(3, "close")
                .post("release", 2).post("queueLength")
                .build();
    }

    CloseLincheckTest() {
        super(ClosableMutexOperations.class, SequentialClosableMutex.class, List.of(closeDuringHandOff()));
    }
}
