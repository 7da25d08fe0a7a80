package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A writer downgrades to a reader while a second writer waits and a reader tries to join: the
 * downgrade frees the other permits, but the waiting writer holds the reader back, and it gets
 * the lock as soon as the downgraded reader leaves (r1 = the reader's try succeeded, r2 = the
 * second writer was granted while the downgraded reader held, r3 = it was granted after).
 */
@JCStressTest
@Outcome(id = "false, false, true", expect = ACCEPTABLE, desc = "the try failed (writer waiting); the writer followed the downgraded reader")
@Outcome(id = "true, .*", expect = FORBIDDEN, desc = "a reader overtook the waiting writer")
@Outcome(id = "false, true, .*", expect = FORBIDDEN, desc = "the second writer got in beside the downgraded reader")
@Outcome(expect = FORBIDDEN, desc = "the waiting writer lost its grant")
@State
public class DowngradeVersusWaitingWriter {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard writer = lock.writeLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> secondWriter = Stages.future(lock.writeLock().acquire());
    private Guard downgraded;
    private Optional<Guard> reader;

    @Actor
    public void downgrade() {
        downgraded = lock.downgrade(writer);
    }

    @Actor
    public void tryRead(ZZZ_Result r) {
        reader = lock.readLock().tryAcquire();
        r.r1 = reader.isPresent();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r2 = Stages.granted(secondWriter);
        Stages.release(reader);
        downgraded.release();
        r.r3 = Stages.granted(secondWriter);
        Stages.releaseIfGranted(secondWriter);
    }
}
