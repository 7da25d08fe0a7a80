package dev.asynclocks.stress.lincheck;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

import java.util.List;

/**
 * {@code AsyncSemaphore}'s changing total ({@code addPermits}, {@code forgetPermits}) against
 * {@link SequentialSemaphoreCapacity}, in model-checking and stress mode.
 */
class SemaphoreCapacityLincheckTest extends LincheckSuite {

    /**
     * A gate: the one permit forgotten, a request for two and one for one queued. Two additions
     * race with the head's cancel: the second request is granted only after the head is granted
     * or withdrawn (FIFO), and every permit is accounted for at the end.
     */
    static ExecutionScenario additionsRaceWithTheHeadsCancel() {
        return new CustomScenario(SemaphoreCapacityOperations.class)
                .init("forgetPermits", 1).init("acquire", 1, 2).init("acquire", 2, 1)
                .thread(1, "cancel", 1)
                .thread(2, "addPermits", 1)
                .thread(3, "addPermits", 1)
                .post("release", 1).post("release", 2).post("availablePermits").post("totalPermits")
                .build();
    }

    /**
     * Two permits, one held; a request for two waits at the head, the free permit held back for
     * it. A forget races with the holder's release: it takes the held-back permit (the head then
     * waits for an addition) or finds nothing free (the head was granted), never a granted one.
     */
    static ExecutionScenario forgetRacesWithTheGrantToTheHead() {
        return new CustomScenario(SemaphoreCapacityOperations.class)
                .init("addPermits", 1).init("tryAcquire", 1, 1).init("acquire", 2, 2)
                .thread(1, "release", 1)
                .thread(2, "forgetPermits", 1)
                .thread(3, "availablePermits")
                .post("totalPermits").post("availablePermits").post("addPermits", 1).post("release", 2)
                .build();
    }

    SemaphoreCapacityLincheckTest() {
        super(SemaphoreCapacityOperations.class, SequentialSemaphoreCapacity.class,
                List.of(additionsRaceWithTheHeadsCancel(), forgetRacesWithTheGrantToTheHead()));
    }
}
