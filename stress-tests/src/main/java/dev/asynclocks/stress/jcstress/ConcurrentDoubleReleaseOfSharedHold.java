package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A guard of one permit of a three-permit semaphore (a shared hold: it keeps its own count, unlike
 * a hold of all permits, which the engine's state word checks) is released by two threads at
 * once while another hold of one permit lives. Exactly one release returns the permit: two free
 * at the end. Mutant M4 ("permit returned twice": the hold's end is a check, then a write,
 * instead of a CAS) lets both releases pass the check and returns the permit twice, three free
 * beside a live hold (r1 = permits free at the end).
 */
@JCStressTest
@Outcome(id = "2", expect = ACCEPTABLE, desc = "the permit came back once")
@Outcome(id = "3", expect = FORBIDDEN, desc = "the permit came back twice: one was minted beside a live hold")
@Outcome(expect = FORBIDDEN, desc = "a permit was lost")
@State
public class ConcurrentDoubleReleaseOfSharedHold {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(3);
    private final Guard released = semaphore.tryAcquire(1).orElseThrow();
    private final Guard living = semaphore.tryAcquire(1).orElseThrow();

    @Actor
    public void release1() {
        released.release();
    }

    @Actor
    public void release2() {
        released.release();
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = semaphore.availablePermits();
        living.release();
    }
}
