package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.Z_Result;

import java.util.Optional;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A guard from tryAcquire, already released, is released again while a new holder holds the
 * mutex and a third thread tries to take it: the stale release must not free the new holder's
 * hold (r1 = the third thread got the mutex).
 */
@JCStressTest
@Outcome(id = "false", expect = ACCEPTABLE, desc = "the new holder still holds; the stale release did nothing")
@Outcome(id = "true", expect = FORBIDDEN, desc = "the stale release freed the new holder's mutex")
@State
public class StaleGuardVersusNewHolder {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard stale;
    private final Guard holder;
    private Optional<Guard> third;

    public StaleGuardVersusNewHolder() {
        stale = mutex.tryAcquire().orElseThrow();
        stale.release();
        holder = mutex.tryAcquire().orElseThrow();
    }

    @Actor
    public void staleRelease() {
        stale.release();
    }

    @Actor
    public void tryAcquire(Z_Result r) {
        third = mutex.tryAcquire();
        r.r1 = third.isPresent();
    }

    @Arbiter
    public void arbiter(Z_Result r) {
        Stages.release(third);
        holder.release();
    }
}
