package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The holder releases to a queued waiter while another thread calls tryAcquire: the mutex goes
 * straight to the waiter, so the try must fail whenever it runs (r1 = the try succeeded, r2 =
 * the waiter was granted).
 */
@JCStressTest
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the try failed; the waiter got the mutex")
@Outcome(id = "true, .*", expect = FORBIDDEN, desc = "tryAcquire barged past the waiter")
@Outcome(expect = FORBIDDEN, desc = "the waiter lost its grant")
@State
public class TryAcquireVersusHandOff {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> waiter = Stages.future(mutex.acquire());
    private Optional<Guard> barger;

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void tryAcquire(ZZ_Result r) {
        barger = mutex.tryAcquire();
        r.r1 = barger.isPresent();
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        r.r2 = Stages.granted(waiter);
        Stages.release(barger);
        Stages.releaseIfGranted(waiter);
    }
}
