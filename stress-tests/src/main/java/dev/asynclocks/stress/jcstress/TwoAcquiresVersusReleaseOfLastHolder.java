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

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The only holder releases and acquires again while another thread acquires, nobody queued (two
 * actors: jcstress runs no more on 2 cores): each acquisition takes the fast path, queues behind
 * the other, or is handed the lock, and each releases in its continuation, so both must be granted by the end (r1, r2 = each was granted and released;
 * r3 = the mutex is free and nobody queues at the end). Engine v2's "two producers after the queue
 * emptied" race (docs/design/engine-v2.md).
 */
@JCStressTest
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "both acquisitions were granted, in some order")
@Outcome(expect = FORBIDDEN, desc = "an acquisition was stranded in the queue, or the mutex was lost")
@State
public class TwoAcquiresVersusReleaseOfLastHolder {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private CompletableFuture<Void> first;
    private CompletableFuture<Void> second;

    @Actor
    public void releaseThenAcquire() {
        holder.release();
        first = mutex.acquire().thenAccept(Guard::release).toCompletableFuture();
    }

    @Actor
    public void acquireSecond() {
        second = mutex.acquire().thenAccept(Guard::release).toCompletableFuture();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r1 = first.isDone() && !first.isCompletedExceptionally();
        r.r2 = second.isDone() && !second.isCompletedExceptionally();
        Optional<Guard> probe = mutex.tryAcquire();
        r.r3 = probe.isPresent() && mutex.queueLength() == 0;
        Stages.release(probe);
    }
}
