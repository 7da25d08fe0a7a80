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
 * The caller completes a queued acquisition's stage itself ({@code complete(null)}) while the
 * holder releases to it: completing from outside withdraws a still-queued acquisition, so either the
 * caller's completion wins and the mutex passes on, or the grant wins and the stage carries the
 * guard (r1 = complete() returned true, r2 = the stage carries a live guard, r3 = the mutex is
 * free at the end).
 */
@JCStressTest
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "the caller's completion won: withdrawn before the grant, the mutex is free")
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "the grant won (even if the guard was still on its way): complete() returned false")
@Outcome(expect = FORBIDDEN, desc = "both or neither won, or the mutex was lost")
@State
public class CompleteVersusGrant {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> waiter = Stages.future(mutex.acquire());

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void complete(ZZZ_Result r) {
        r.r1 = waiter.complete(null);
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
