package dev.asynclocks.stress.lincheck;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

import java.util.List;

/** {@code AsyncSemaphore} against {@link SequentialSemaphore}, in model-checking and stress mode. */
class SemaphoreLincheckTest extends LincheckSuite {

    /**
     * Two of three permits are held; a request for three waits at the head, a request for one
     * behind it. The small request must not overtake, not even through tryAcquire, while the
     * holder releases one permit at a time.
     */
    static ExecutionScenario smallRequestBehindLargeOne() {
        return new CustomScenario(SemaphoreOperations.class)
                .init("tryAcquire", 1, 1).init("tryAcquire", 1, 1).init("acquire", 2, 3).init("acquire", 3, 1)
                .thread(1, "release", 1).thread(1, "release", 1)
                .thread(2, "release", 2)
                .thread(3, "tryAcquire", 3, 1).thread(3, "release", 3)
                .post("release", 3).post("release", 3)
                .build();
    }

    SemaphoreLincheckTest() {
        super(SemaphoreOperations.class, SequentialSemaphore.class, List.of(smallRequestBehindLargeOne()));
    }
}
