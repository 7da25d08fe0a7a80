package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The result of a queued {@code withLock} is cancelled while the holder releases to it: a
 * cancel before the grant withdraws it (the action never runs); once the action has started it
 * runs to the end; either way the mutex ends free (r1 = cancel() returned true, r2 = the action
 * ran, r3 = the mutex is free and nobody queues at the end).
 */
@JCStressTest
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "cancelled before the grant: the action never ran, the mutex passed on")
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "cancelled while the action ran: it finished and released")
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "the action ran and completed first: cancel() returned false")
@Outcome(expect = FORBIDDEN, desc = "the action neither ran nor was cancelled, or the mutex was lost")
@State
public class WithLockCancelVersusGrant {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private volatile boolean ran;
    private final CompletionStage<Integer> result = mutex.withLock(() -> {
        ran = true;
        return CompletableFuture.completedFuture(1);
    });

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void cancel(ZZZ_Result r) {
        r.r1 = result.toCompletableFuture().cancel(false);
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r2 = ran;
        Optional<Guard> probe = mutex.tryAcquire();
        r.r3 = probe.isPresent() && mutex.queueLength() == 0;
        Stages.release(probe);
    }
}
