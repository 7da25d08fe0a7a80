package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZZ_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two permits, one held; a request for two waits at the head, a request for one behind it. The
 * head is cancelled while the holder releases: if the cancel wins, the small request behind it
 * fits and is granted; if the grant wins, the head holds both and the small one waits; permits
 * are never lost or minted (r1 = cancel() returned true, r2 = head holds, r3 = small request
 * granted, r4 = both permits free once everything is released).
 */
@JCStressTest
@Outcome(id = "true, false, true, true", expect = ACCEPTABLE, desc = "cancel won (withdrawn before the grant): the small request behind it got a permit")
@Outcome(id = "false, true, false, true", expect = ACCEPTABLE, desc = "the grant won: cancel() returned false, the head holds both permits, the small request waits")
@Outcome(expect = FORBIDDEN, desc = "a permit was lost or minted, or a grant went out of order")
@State
public class CancelOfHeadVersusRelease {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(2);
    private final Guard holder = semaphore.tryAcquire(1).orElseThrow();
    private final CompletableFuture<Guard> large = Stages.future(semaphore.acquire(2));
    private final CompletableFuture<Guard> small = Stages.future(semaphore.acquire(1));

    @Actor
    public void cancelHead(ZZZZ_Result r) {
        r.r1 = large.cancel(false);
    }

    @Actor
    public void release() {
        holder.release();
    }

    @Arbiter
    public void arbiter(ZZZZ_Result r) {
        r.r2 = Stages.granted(large);
        r.r3 = Stages.granted(small);
        Stages.releaseIfGranted(large);
        Stages.releaseIfGranted(small);
        r.r4 = semaphore.availablePermits() == 2 && semaphore.queueLength() == 0;
    }
}
