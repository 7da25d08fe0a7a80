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
import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The queue empties while a new acquisition arrives: the holder releases to the last waiter,
 * whose continuation releases at once, while another thread acquires. The new acquisition must
 * end up granted, whether it took the lock on the fast path, queued behind the last waiter, or
 * met the lock mid hand-off; it must never stay queued with the lock free (r1 = the new
 * acquisition was granted, r2 = the mutex is free and nobody queues once it is released).
 * Engine v2's "release versus enqueue at the queue's end" race (docs/design/engine-v2.md).
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the new acquisition was granted, before or after the last waiter")
@Outcome(id = "false, .*", expect = FORBIDDEN, desc = "the new acquisition was left queued (a lost wake-up at the queue's end)")
@Outcome(expect = FORBIDDEN, desc = "the mutex was lost")
@State
public class LastWaiterReleaseVersusNewAcquire {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Void> lastWaiter = mutex.acquire().thenAccept(Guard::release).toCompletableFuture();
    private CompletableFuture<Guard> newcomer;

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void acquire() {
        newcomer = Stages.future(mutex.acquire());
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        r.r1 = lastWaiter.isDone() && Stages.granted(newcomer);
        Stages.releaseIfGranted(newcomer);
        Optional<Guard> probe = mutex.tryAcquire();
        r.r2 = probe.isPresent() && mutex.queueLength() == 0;
        Stages.release(probe);
    }
}
