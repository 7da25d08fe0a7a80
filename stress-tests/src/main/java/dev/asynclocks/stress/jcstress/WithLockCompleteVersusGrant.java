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
 * The caller completes the result of a queued {@code withLock} (with a value of its own) while
 * the holder releases to it (issue 11, item 6). A completion before the grant withdraws the
 * acquisition at once, as for {@code acquire()}: when {@code complete} returns, nothing of it is
 * left in the queue. Before the fix it stayed queued until granted (holding a {@code maxWaiters}
 * slot). r1 = complete() returned true, r2 = the acquisition had left the queue when complete()
 * returned (true when complete() lost), r3 = the mutex is free and nobody queues at the end.
 */
@JCStressTest
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "completed by the caller first: withdrawn at once, or granted and released unused")
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "the action ran and completed the result first")
@Outcome(id = "true, false, .*", expect = FORBIDDEN, desc = "completed by the caller, but still queued")
@Outcome(expect = FORBIDDEN, desc = "the mutex was lost")
@State
public class WithLockCompleteVersusGrant {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletionStage<Integer> result = mutex.withLock(() -> CompletableFuture.completedFuture(1));

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void complete(ZZZ_Result r) {
        boolean completed = result.toCompletableFuture().complete(2);
        r.r1 = completed;
        r.r2 = !completed || mutex.queueLength() == 0;
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        Optional<Guard> probe = mutex.tryAcquire();
        r.r3 = probe.isPresent() && mutex.queueLength() == 0;
        Stages.release(probe);
    }
}
