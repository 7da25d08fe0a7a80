package dev.asynclocks.stress.lincheck;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

import java.util.List;

/** {@code AsyncRwLock} against {@link SequentialRwLock}, in model-checking and stress mode. */
class RwLockLincheckTest extends LincheckSuite {

    /**
     * Thread 1 writes; thread 2 queues a write, thread 3 a read behind it. While thread 1
     * downgrades, thread 3 tries to read: the waiting writer must hold both readers back.
     */
    static ExecutionScenario readerBehindWaitingWriter() {
        return new CustomScenario(RwLockOperations.class)
                .init("tryWrite", 1).init("write", 2).init("read", 3)
                .thread(1, "downgrade", 1).thread(1, "release", 1)
                .thread(2, "release", 2)
                .thread(3, "tryRead", 3)
                .post("release", 2).post("release", 3)
                .build();
    }

    /** A write released while a queued writer and a queued reader are abandoned. */
    static ExecutionScenario abandonDuringHandOff() {
        return new CustomScenario(RwLockOperations.class)
                .init("tryWrite", 1).init("write", 2).init("read", 3)
                .thread(1, "release", 1)
                .thread(2, "abandon", 2)
                .thread(3, "abandon", 3).thread(3, "tryRead", 3)
                .post("release", 3)
                .build();
    }

    RwLockLincheckTest() {
        super(RwLockOperations.class, SequentialRwLock.class,
                List.of(readerBehindWaitingWriter(), abandonDuringHandOff()));
    }
}
