package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZZ_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The writer downgrades while the reader at the head of the queue cancels; behind it wait a
 * writer and another reader. The downgrade admits the head reader unless the cancel won; either
 * way the waiting writer stays out while the downgraded reader holds, and the reader behind the
 * writer stays behind it (FIFO). r1 = cancel() returned true, r2 = the head reader was granted,
 * r3 = the waiting writer was granted while the downgraded reader held, r4 = the reader behind the
 * writer was granted. Engine v2's "downgrade versus cancel of the head reader" race.
 */
@JCStressTest
@Outcome(id = "true, false, false, false", expect = ACCEPTABLE, desc = "the cancel won: the head reader withdrew, the writer still waits for the downgraded reader")
@Outcome(id = "false, true, false, false", expect = ACCEPTABLE, desc = "the downgrade won: the head reader shares with the downgraded one")
@Outcome(id = ".*, .*, true, .*", expect = FORBIDDEN, desc = "the writer got in beside a reader")
@Outcome(id = ".*, .*, .*, true", expect = FORBIDDEN, desc = "the reader behind the waiting writer overtook it")
@Outcome(expect = FORBIDDEN, desc = "the head reader both withdrew and was granted, or neither")
@State
public class DowngradeVersusCancelOfHeadReader {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard writer = lock.writeLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> headReader = Stages.future(lock.readLock().acquire());
    private final CompletableFuture<Guard> waitingWriter = Stages.future(lock.writeLock().acquire());
    private final CompletableFuture<Guard> laterReader = Stages.future(lock.readLock().acquire());
    private Guard downgraded;

    @Actor
    public void downgrade() {
        downgraded = lock.downgrade(writer);
    }

    @Actor
    public void cancelHead(ZZZZ_Result r) {
        r.r1 = headReader.cancel(false);
    }

    @Arbiter
    public void arbiter(ZZZZ_Result r) {
        r.r2 = Stages.granted(headReader);
        r.r3 = Stages.granted(waitingWriter);
        r.r4 = Stages.granted(laterReader);
        // Let everything run out: the readers leave, the writer follows, then the later reader.
        Stages.releaseIfGranted(headReader);
        downgraded.release();
        Stages.releaseIfGranted(waitingWriter);
        Stages.releaseIfGranted(laterReader);
    }
}
