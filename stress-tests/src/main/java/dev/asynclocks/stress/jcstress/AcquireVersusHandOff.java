package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
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
 * The holder releases to waiter A while a new acquire() arrives: the newcomer queues behind A,
 * whatever the timing (r1 = the newcomer was granted at once, r2 = A granted, r3 = the newcomer
 * granted only after A released).
 */
@JCStressTest
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "the newcomer queued behind A and got the mutex from A")
@Outcome(id = "true, .*", expect = FORBIDDEN, desc = "the newcomer overtook the waiter being handed the mutex")
@Outcome(expect = FORBIDDEN, desc = "a grant was lost or out of order")
@State
public class AcquireVersusHandOff {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> a = Stages.future(mutex.acquire());
    private CompletableFuture<Guard> newcomer;

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void acquire(ZZZ_Result r) {
        newcomer = Stages.future(mutex.acquire());
        r.r1 = newcomer.isDone();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r2 = Stages.granted(a) && !Stages.granted(newcomer);
        Stages.releaseIfGranted(a);
        r.r3 = Stages.granted(newcomer);
        Stages.releaseIfGranted(newcomer);
    }
}
