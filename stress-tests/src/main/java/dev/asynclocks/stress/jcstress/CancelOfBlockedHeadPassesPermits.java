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
 * Three permits, two held by two holds of one; a request for all three waits at the head (it
 * cannot fit while either hold lives), a request for one behind it. The head is cancelled while
 * one holder releases. Whatever the order, the small request must be granted at once: the
 * release frees a permit (held back for the head while it waits) and the head's withdrawal must
 * pass the free permits on. Mutant M1 ("lost wake-up on cancel": the withdrawn head grants
 * nothing) leaves the small request queued beside two free permits when the release comes first
 * (r1 = cancel() returned true, r2 = small request granted, r3 = every permit free and the queue
 * empty once everything is released).
 */
@JCStressTest
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "the head withdrawn, the small request behind it granted")
@Outcome(expect = FORBIDDEN, desc = "the small request left waiting beside free permits, or permits lost or minted")
@State
public class CancelOfBlockedHeadPassesPermits {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(3);
    private final Guard releasing = semaphore.tryAcquire(1).orElseThrow();
    private final Guard staying = semaphore.tryAcquire(1).orElseThrow();
    private final CompletableFuture<Guard> head = Stages.future(semaphore.acquire(3));
    private final CompletableFuture<Guard> small = Stages.future(semaphore.acquire(1));

    @Actor
    public void cancelHead(ZZZ_Result r) {
        r.r1 = head.cancel(false);
    }

    @Actor
    public void release() {
        releasing.release();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r2 = Stages.granted(small);
        Stages.releaseIfGranted(small);
        staying.release();
        r.r3 = semaphore.availablePermits() == 3 && semaphore.queueLength() == 0;
    }
}
