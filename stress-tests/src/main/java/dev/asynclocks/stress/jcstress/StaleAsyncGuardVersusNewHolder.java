package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * As {@link StaleGuardVersusNewHolder} for guards handed out by {@code acquire()} (the stage is
 * itself the guard): the old holder's released guard is released again while the new holder,
 * granted through the queue, holds and a waiter queues behind it (r1 = the waiter was granted
 * before the new holder released, r2 = it was granted after).
 */
@JCStressTest
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the stale release did nothing; the waiter got the mutex from the new holder")
@Outcome(id = "true, .*", expect = FORBIDDEN, desc = "the stale release freed the new holder's mutex")
@Outcome(expect = FORBIDDEN, desc = "the waiter lost its grant")
@State
public class StaleAsyncGuardVersusNewHolder {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard stale;
    private final CompletableFuture<Guard> holder;
    private CompletableFuture<Guard> waiter;

    public StaleAsyncGuardVersusNewHolder() {
        stale = mutex.acquire().toCompletableFuture().join();
        holder = Stages.future(mutex.acquire()); // queued behind stale
        stale.release();                          // hands the mutex to holder
    }

    @Actor
    public void staleRelease() {
        stale.release();
    }

    @Actor
    public void acquire() {
        waiter = Stages.future(mutex.acquire());
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        r.r1 = Stages.granted(waiter);
        holder.join().release();
        r.r2 = Stages.granted(waiter);
        Stages.releaseIfGranted(waiter);
    }
}
