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
 * As {@link ConcurrentDoubleRelease}, but the guard released twice at once was granted from the
 * queue (an exclusive hold of a queued acquisition, which ends by the engine's generation check
 * rather than by a CAS of its own): exactly one release counts, so A is granted and B keeps
 * waiting (r1 = A granted, r2 = B granted, r3 = one waiter still queued).
 */
@JCStressTest
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "one release counted: A got the mutex, B still waits")
@Outcome(id = "true, true, .*", expect = FORBIDDEN, desc = "both releases counted: A and B hold the mutex together")
@Outcome(expect = FORBIDDEN, desc = "the grant was lost or went to the wrong waiter")
@State
public class ConcurrentDoubleReleaseOfQueuedGrant {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder;
    private final CompletableFuture<Guard> a;
    private final CompletableFuture<Guard> b;

    public ConcurrentDoubleReleaseOfQueuedGrant() {
        Guard first = mutex.tryAcquire().orElseThrow();
        CompletableFuture<Guard> queued = Stages.future(mutex.acquire());
        a = Stages.future(mutex.acquire());
        b = Stages.future(mutex.acquire());
        first.release(); // grants the queued acquisition, delivered on this thread
        holder = queued.join();
    }

    @Actor
    public void release1() {
        holder.release();
    }

    @Actor
    public void release2() {
        holder.release();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r1 = Stages.granted(a);
        r.r2 = Stages.granted(b);
        r.r3 = mutex.queueLength() == 1;
        Stages.releaseIfGranted(a);
        Stages.releaseIfGranted(b);
    }
}
