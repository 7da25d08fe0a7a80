package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two permits, each held by one thread; a request for both waits. The holders release at the
 * same time: the permits accumulate for the head and it is granted exactly once, with nothing
 * left over (r1 = granted, r2 = no permit free, r3 = nobody queued).
 */
@JCStressTest
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "the two releases together granted the two-permit request")
@Outcome(expect = FORBIDDEN, desc = "a release was lost, a permit minted, or the waiter not granted")
@State
public class ConcurrentReleasesVersusLargeWaiter {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(2);
    private final Guard first = semaphore.tryAcquire(1).orElseThrow();
    private final Guard second = semaphore.tryAcquire(1).orElseThrow();
    private final CompletableFuture<Guard> large = Stages.future(semaphore.acquire(2));

    @Actor
    public void release1() {
        first.release();
    }

    @Actor
    public void release2() {
        second.release();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r1 = Stages.granted(large);
        r.r2 = semaphore.availablePermits() == 0;
        r.r3 = semaphore.queueLength() == 0;
        Stages.releaseIfGranted(large);
    }
}
