package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZZ_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two permits, one held; a request for two waits at the head, the free permit held back for it.
 * {@code forgetPermits(1)} races with the holder's release. Forget first: it takes the held-back
 * permit, the total drops to 1, and the head (needing 2) keeps waiting beside the one returned.
 * Release first: the head is granted both, and the forget finds nothing free. Never may the
 * forget take a permit the head was granted (r1 = permits forgotten, r2 = head granted, r3 = the
 * total afterwards equals the free permits once the head's grant, if any, is released, and the
 * queue holds exactly the head if it was not granted).
 */
@JCStressTest
@Outcome(id = "1, false, true", expect = ACCEPTABLE, desc = "forget first: the held-back permit forgotten, the head waits")
@Outcome(id = "0, true, true", expect = ACCEPTABLE, desc = "release first: the head granted, nothing free to forget")
@Outcome(expect = FORBIDDEN, desc = "a granted permit forgotten, or the counts wrong")
@State
public class ForgetVersusGrantToHead {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(2);
    private final Guard holder = semaphore.tryAcquire(1).orElseThrow();
    private final CompletableFuture<Guard> head = Stages.future(semaphore.acquire(2));

    @Actor
    public void forget(IZZ_Result r) {
        r.r1 = semaphore.forgetPermits(1);
    }

    @Actor
    public void release() {
        holder.release();
    }

    @Arbiter
    public void arbiter(IZZ_Result r) {
        r.r2 = Stages.granted(head);
        Stages.releaseIfGranted(head);
        int total = semaphore.totalPermits();
        int queued = r.r2 ? 0 : 1;
        r.r3 = total == 2 - r.r1 && semaphore.availablePermits() == total && semaphore.queueLength() == queued;
    }
}
