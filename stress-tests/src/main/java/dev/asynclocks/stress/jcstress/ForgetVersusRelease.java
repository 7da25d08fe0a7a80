package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two permits, one held, nobody queued (the lock-free paths): {@code forgetPermits(2)} races with
 * the release. The forget takes what is free at its instant, one permit or two; the total and
 * the free permits agree afterwards (r1 = forgotten, r2 = total, r3 = free).
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "forget first: one forgotten, the released one stays")
@Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "release first: both forgotten")
@Outcome(expect = FORBIDDEN, desc = "a permit lost or minted")
@State
public class ForgetVersusRelease {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(2);
    private final Guard holder = semaphore.tryAcquire(1).orElseThrow();

    @Actor
    public void forget(III_Result r) {
        r.r1 = semaphore.forgetPermits(2);
    }

    @Actor
    public void release() {
        holder.release();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r2 = semaphore.totalPermits();
        r.r3 = semaphore.availablePermits();
    }
}
