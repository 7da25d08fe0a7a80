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
 * A writer releases to two queued readers while another writer tries to get in: the readers at
 * the head are admitted together, and the try fails whatever the timing (r1 = the write try
 * succeeded, r2 = first reader granted, r3 = second reader granted).
 */
@JCStressTest
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "both queued readers were admitted together; the try failed")
@Outcome(id = "true, .*", expect = FORBIDDEN, desc = "a writer barged past the queued readers")
@Outcome(expect = FORBIDDEN, desc = "a queued reader was not admitted")
@State
public class WriteReleaseVersusWriter {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard writer = lock.writeLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> reader1 = Stages.future(lock.readLock().acquire());
    private final CompletableFuture<Guard> reader2 = Stages.future(lock.readLock().acquire());
    private Optional<Guard> barger;

    @Actor
    public void release() {
        writer.release();
    }

    @Actor
    public void tryWrite(ZZZ_Result r) {
        barger = lock.writeLock().tryAcquire();
        r.r1 = barger.isPresent();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r2 = Stages.granted(reader1);
        r.r3 = Stages.granted(reader2);
        Stages.release(barger);
        Stages.releaseIfGranted(reader1);
        Stages.releaseIfGranted(reader2);
    }
}
