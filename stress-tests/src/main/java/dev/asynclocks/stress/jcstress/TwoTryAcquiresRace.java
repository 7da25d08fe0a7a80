package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import java.util.Optional;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Two tryAcquire calls on a free mutex: exactly one wins. */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "actor 1 took the mutex, actor 2 saw it held")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "actor 2 took the mutex, actor 1 saw it held")
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "both hold the mutex")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "the free mutex refused both")
@State
public class TwoTryAcquiresRace {

    private final AsyncMutex mutex = new AsyncMutex();
    private Optional<Guard> first;
    private Optional<Guard> second;

    @Actor
    public void actor1(ZZ_Result r) {
        first = mutex.tryAcquire();
        r.r1 = first.isPresent();
    }

    @Actor
    public void actor2(ZZ_Result r) {
        second = mutex.tryAcquire();
        r.r2 = second.isPresent();
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        Stages.release(first);
        Stages.release(second);
    }
}
