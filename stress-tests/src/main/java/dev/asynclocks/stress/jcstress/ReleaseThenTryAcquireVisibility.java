package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.Optional;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The holder writes two plain fields and releases (the uncontended one-CAS release); a
 * tryAcquire that succeeds must see both writes (read in reverse order, to catch reordering).
 */
@JCStressTest
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "tried before the release: refused")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "acquired after the release: saw both writes")
@Outcome(expect = FORBIDDEN, desc = "acquired, but missed a write of the previous holder's section")
@State
public class ReleaseThenTryAcquireVisibility {

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
        Optional<Guard> guard = mutex.tryAcquire();
        if (guard.isPresent()) {
            r.r1 = y;
            r.r2 = x;
            guard.get().release();
        } else {
            r.r1 = -1;
            r.r2 = -1;
        }
    }
}
