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
 * As {@link ReleaseThenLockVisibility}, but the next holder queues with {@code acquire()} and
 * joins the stage: completing the stage on the releasing thread must publish the section.
 */
@JCStressTest
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "the next holder saw both writes")
@Outcome(expect = FORBIDDEN, desc = "the next holder missed a write of the previous holder's section")
@State
public class ReleaseThenAsyncAcquireVisibility {

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
        try (Guard guard = mutex.acquire().toCompletableFuture().join()) {
            r.r1 = y;
            r.r2 = x;
        }
    }
}
