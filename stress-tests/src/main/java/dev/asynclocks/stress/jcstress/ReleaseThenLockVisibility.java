package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The holder writes two plain fields and releases; the next thread parks in {@code lock()} (or
 * gets the mutex at once if the release came first). Whichever way it is granted, it must see
 * both writes: the hand-off to a parked thread publishes the section.
 */
@JCStressTest
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "the next holder saw both writes")
@Outcome(id = "-2, -2", expect = FORBIDDEN, desc = "lock() threw InterruptedException without an interrupt")
@Outcome(expect = FORBIDDEN, desc = "the next holder missed a write of the previous holder's section")
@State
public class ReleaseThenLockVisibility {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private int x;
    private int y;

    @Actor
    public void holder() {
        x = 1;
        y = 2;
        holder.release();
    }

    @Actor
    public void next(II_Result r) {
        try (Guard guard = mutex.lock()) {
            r.r1 = y;
            r.r2 = x;
        } catch (InterruptedException e) {
            r.r1 = -2;
            r.r2 = -2;
        }
    }
}
