package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
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
 * Two threads cancel the same queued stage (waiter A, with B queued behind it): A leaves the
 * queue exactly once, B keeps its place and gets the mutex when the holder releases (r1, r2 =
 * the two cancel() results; r3 = exactly one waiter still queued; r4 = B granted by the release).
 */
@JCStressTest
@Outcome(id = "true, true, true, true", expect = ACCEPTABLE,
        desc = "both see A cancelled (CompletableFuture.cancel is true once cancelled); A withdrawn once; B granted")
@Outcome(expect = FORBIDDEN, desc = "A not cancelled, withdrawn twice, or B lost its place or the grant")
@State
public class CancelVersusCancel {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> a = Stages.future(mutex.acquire());
    private final CompletableFuture<Guard> b = Stages.future(mutex.acquire());

    @Actor
    public void cancel1(ZZZZ_Result r) {
        r.r1 = a.cancel(false);
    }

    @Actor
    public void cancel2(ZZZZ_Result r) {
        r.r2 = a.cancel(false);
    }

    @Arbiter
    public void arbiter(ZZZZ_Result r) {
        r.r3 = mutex.queueLength() == 1;
        holder.release();
        r.r4 = Stages.granted(b);
        Stages.releaseIfGranted(b);
    }
}
