package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
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
 * The holder releases while the only waiter's stage is cancelled: exactly one of cancel and
 * grant wins (the grant, made under the engine's lock, is the single point that decides), and
 * either way the mutex ends free (r1 = cancel() returned true, r2 = the stage
 * carries a live guard, r3 = the mutex is free and nobody queues once that guard is released).
 */
@JCStressTest
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "cancel won: withdrawn before the grant, the mutex is free")
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "grant won (even if the guard was still on its way): cancel() returned false, the stage got the guard")
@Outcome(id = "true, true, true", expect = FORBIDDEN, desc = "both won: a cancelled stage carries a guard")
@Outcome(expect = FORBIDDEN, desc = "neither won, or the mutex was lost")
@State
public class ReleaseVersusCancel {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> waiter = Stages.future(mutex.acquire());

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void cancel(ZZZ_Result r) {
        r.r1 = waiter.cancel(false);
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r2 = Stages.granted(waiter);
        Stages.releaseIfGranted(waiter);
        Optional<Guard> probe = mutex.tryAcquire();
        r.r3 = probe.isPresent() && mutex.queueLength() == 0;
        Stages.release(probe);
    }
}
