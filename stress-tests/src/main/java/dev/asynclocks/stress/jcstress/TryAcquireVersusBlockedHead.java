package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncSemaphore;
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
 * Two permits, one held; a request for both waits at the head, so the free permit is held back
 * for it. A {@code tryAcquire(1)} races with the holder's release. The try must fail whatever the
 * order: before the release the free permit belongs to the waiting head (someone waits), after it
 * the head holds both. Mutant M3 ("barging try": the fast path ignores the waiters) takes the
 * held-back permit when the try comes first (r1 = the try got a permit, r2 = the head was
 * granted, r3 = every permit free and the queue empty once everything is released).
 */
@JCStressTest
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "the try failed; the release completed the head's two permits")
@Outcome(id = "true, .*", expect = FORBIDDEN, desc = "the try barged past the waiting head")
@Outcome(expect = FORBIDDEN, desc = "the head was not granted with both permits free, or permits lost or minted")
@State
public class TryAcquireVersusBlockedHead {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(2);
    private final Guard holder = semaphore.tryAcquire(1).orElseThrow();
    private final CompletableFuture<Guard> head = Stages.future(semaphore.acquire(2));
    private Optional<Guard> tried = Optional.empty();

    @Actor
    public void tryAcquire() {
        tried = semaphore.tryAcquire(1);
    }

    @Actor
    public void release() {
        holder.release();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r1 = tried.isPresent();
        tried.ifPresent(Guard::release);
        r.r2 = Stages.granted(head);
        Stages.releaseIfGranted(head);
        r.r3 = semaphore.availablePermits() == 2 && semaphore.queueLength() == 0;
    }
}
