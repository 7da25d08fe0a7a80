package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

import java.util.Optional;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A guard of a one-permit semaphore is released twice while another thread takes the permit:
 * the second release is a no-op, so it can neither free the new holder's permit nor mint a
 * second one (r1 = the other thread got the permit, r2 = permits free at the end, before it
 * releases).
 */
@JCStressTest
@Outcome(id = "true, 0", expect = ACCEPTABLE, desc = "acquired after the first release; the second release did nothing")
@Outcome(id = "false, 1", expect = ACCEPTABLE, desc = "tried before the release; the one permit is free at the end")
@Outcome(id = "true, 1", expect = FORBIDDEN, desc = "the second release freed the new holder's permit")
@Outcome(expect = FORBIDDEN, desc = "a permit was minted or lost")
@State
public class DoubleReleaseVersusAcquire {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(1);
    private final Guard guard = semaphore.tryAcquire(1).orElseThrow();
    private Optional<Guard> next;

    @Actor
    public void releaseTwice() {
        guard.release();
        guard.release();
    }

    @Actor
    public void acquire(ZI_Result r) {
        next = semaphore.tryAcquire(1);
        r.r1 = next.isPresent();
    }

    @Arbiter
    public void arbiter(ZI_Result r) {
        r.r2 = semaphore.availablePermits();
        Stages.release(next);
    }
}
