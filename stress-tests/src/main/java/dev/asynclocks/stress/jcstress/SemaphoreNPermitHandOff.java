package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncSemaphore;
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
 * Three permits: a holder has two, a request for three waits at the head, a request for one
 * behind it. The holder releases its two (handing all three to the head) while a one-permit
 * tryAcquire races: the free permit is held back for the head before and after, so the try
 * fails and the small waiter keeps waiting (r1 = try succeeded, r2 = the 3-permit request
 * granted, r3 = the 1-permit request granted before the head released).
 */
@JCStressTest
@Outcome(id = "false, true, false", expect = ACCEPTABLE, desc = "the head got all three permits; nothing overtook it")
@Outcome(id = "true, .*", expect = FORBIDDEN, desc = "a one-permit try overtook the waiting three-permit request")
@Outcome(expect = FORBIDDEN, desc = "the head was not granted, or the small waiter overtook it")
@State
public class SemaphoreNPermitHandOff {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(3);
    private final Guard holder = semaphore.tryAcquire(2).orElseThrow();
    private final CompletableFuture<Guard> large = Stages.future(semaphore.acquire(3));
    private final CompletableFuture<Guard> small = Stages.future(semaphore.acquire(1));
    private Optional<Guard> barger;

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void tryAcquireOne(ZZZ_Result r) {
        barger = semaphore.tryAcquire(1);
        r.r1 = barger.isPresent();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r2 = Stages.granted(large);
        r.r3 = Stages.granted(small);
        Stages.release(barger);
        Stages.releaseIfGranted(large);
        Stages.releaseIfGranted(small);
    }
}
