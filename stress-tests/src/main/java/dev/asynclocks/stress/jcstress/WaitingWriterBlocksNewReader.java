package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A reader holds, a writer waits; a new reader arrives while the first reader releases. The new
 * reader must queue behind the writer whatever the timing (r1 = the new reader was granted at
 * once, r2 = the writer was granted and the new reader was not, r3 = the new reader was granted
 * after the writer released).
 */
@JCStressTest
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "the new reader waited behind the writer")
@Outcome(id = "true, .*", expect = FORBIDDEN, desc = "the new reader overtook the waiting writer")
@Outcome(expect = FORBIDDEN, desc = "a grant was lost or out of order")
@State
public class WaitingWriterBlocksNewReader {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard reader = lock.readLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> writer = Stages.future(lock.writeLock().acquire());
    private CompletableFuture<Guard> newReader;

    @Actor
    public void release() {
        reader.release();
    }

    @Actor
    public void read(ZZZ_Result r) {
        newReader = Stages.future(lock.readLock().acquire());
        r.r1 = newReader.isDone();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r2 = Stages.granted(writer) && !Stages.granted(newReader);
        Stages.releaseIfGranted(writer);
        r.r3 = Stages.granted(newReader);
        Stages.releaseIfGranted(newReader);
    }
}
