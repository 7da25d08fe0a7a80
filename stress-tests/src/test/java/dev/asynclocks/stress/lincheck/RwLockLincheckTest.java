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

    /**
     * Thread 1 releases a write to thread 2's queued read; thread 3's tryRead can see the grant
     * (it succeeds only once the queue is empty) before thread 2's cancel runs. The cancel must
     * then lose. (Until core's commit eb7c8cd it could still win against a grant whose guard was
     * on its way, which this scenario caught.)
     */
    static ExecutionScenario cancelAfterVisibleGrant() {
        return new CustomScenario(RwLockOperations.class)
                .init("tryWrite", 1).init("read", 2)
                .thread(1, "release", 1)
                .thread(2, "cancel", 2)
                .thread(3, "tryRead", 3)
                .post("release", 2).post("isWriteLocked")
                .build();
    }

    /**
     * {@code maxReaders} readers (2 under this module's tests) hold the lock: read-locked, not
     * write-locked. (Until core's commit cf5a4c2, readers() said 0 and isWriteLocked() true.)
     */
    static ExecutionScenario allReadersIn() {
        return new CustomScenario(RwLockOperations.class)
                .init("tryRead", 1).init("tryRead", 2)
                .thread(1, "readers")
                .thread(2, "isWriteLocked")
                .thread(3, "release", 1).thread(3, "readers")
                .build();
    }

    /**
     * A free lock is write-locked while another thread asks {@code readers()}: 0 either way.
     * (Until core's commit c7fa0fb, readers() read the state twice and could say 2.)
     */
    static ExecutionScenario readersDuringWriteTry() {
        return new CustomScenario(RwLockOperations.class)
                .thread(1, "readers")
                .thread(2, "tryWrite", 2)
                .thread(3, "isWriteLocked")
                .build();
    }

    /**
     * The engine v2 plan's scenario 3 (docs/design/engine-v2.md): a writer holds; a second writer
     * waits at the head with a reader behind it. The head withdraws while the holder releases:
     * whichever lands first, the reader must end up holding, and the second writer only if it was
     * not withdrawn (a withdrawn head must pass the lock on, never strand the reader).
     */
    static ExecutionScenario cancelOfTheWaitingWriterAtTheHead() {
        return new CustomScenario(RwLockOperations.class)
                .init("tryWrite", 1).init("write", 2).init("read", 3)
                .thread(1, "release", 1)
                .thread(2, "cancel", 2)
                .post("readers").post("isWriteLocked").post("release", 2).post("release", 3).post("readers")
                .build();
    }

    /**
     * A reader holds; a writer waits behind it, and a reader behind the writer. Cancelling the
     * writer must let the reader behind it in at once, beside the first: the withdrawn head passes
     * the free permits on (mutant M1, "lost wake-up on cancel", leaves it queued until the first
     * reader leaves, so the post part's {@code readers()} sees one).
     */
    static ExecutionScenario cancelOfAWriterThatOnlyReadersBlock() {
        return new CustomScenario(RwLockOperations.class)
                .init("read", 1).init("write", 2).init("read", 3)
                .thread(1, "cancel", 2)
                .thread(2, "isWriteLocked")
                .post("readers").post("release", 1).post("release", 3).post("readers")
                .build();
    }

    /**
     * The engine v2 plan's scenario 4: a writer releases to two queued readers (one batch) while
     * another thread tries to read: both readers must be granted, the last member too, and the
     * try must not get in ahead of them.
     */
    static ExecutionScenario writerReleaseGrantsTheWholeBatch() {
        return new CustomScenario(RwLockOperations.class)
                .init("tryWrite", 1).init("read", 2).init("read", 3)
                .thread(1, "release", 1)
                .thread(2, "tryRead", 2)
                .post("readers").post("isWriteLocked")
                .build();
    }

    RwLockLincheckTest() {
        super(RwLockOperations.class, SequentialRwLock.class,
                List.of(readerBehindWaitingWriter(), cancelAfterVisibleGrant(), allReadersIn(), readersDuringWriteTry(),
                        cancelOfTheWaitingWriterAtTheHead(), writerReleaseGrantsTheWholeBatch(),
                        cancelOfAWriterThatOnlyReadersBlock()));
    }
}
