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

    /**
     * Two of three permits are held; thread 1 queues for two while thread 2's tryAcquire(1) is
     * refused because of it: thread 2's queueLength() right after must show the waiter. (Until
     * core's commit c7fa0fb, the WAITERS bit was set before the node was counted, and it said 0.)
     */
    static ExecutionScenario queueLengthShowsTheWaiterThatRefusedATry() {
        return new CustomScenario(SemaphoreOperations.class)
                .init("tryAcquire", 1, 2)
                .thread(1, "acquire", 1, 2)
                .thread(2, "tryAcquire", 2, 1).thread(2, "queueLength")
                .thread(3, "availablePermits")
                .build();
    }

    /**
     * The engine v2 plan's scenario 2 (docs/design/engine-v2.md): two of three permits are held;
     * a request for two waits at the head (one permit free), a request for one behind it. The head
     * withdraws while the holder releases: the small request must be granted either way (by the
     * withdrawal, which frees the permit the head held back, or by the release), and no permit may
     * be lost (the "lost wake-up on cancel" mutant).
     */
    static ExecutionScenario cancelOfABlockedHeadPassesThePermitsOn() {
        return new CustomScenario(SemaphoreOperations.class)
                .init("tryAcquire", 1, 2).init("acquire", 2, 2).init("acquire", 3, 1)
                .thread(1, "release", 1)
                .thread(2, "cancel", 2)
                .post("availablePermits").post("release", 3).post("release", 2).post("availablePermits")
                .build();
    }

    SemaphoreLincheckTest() {
        super(SemaphoreOperations.class, SequentialSemaphore.class,
                List.of(smallRequestBehindLargeOne(), queueLengthShowsTheWaiterThatRefusedATry(),
                        cancelOfABlockedHeadPassesThePermitsOn()));
    }
}
