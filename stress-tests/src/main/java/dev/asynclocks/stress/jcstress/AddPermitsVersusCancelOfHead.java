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
 * A gate (a semaphore of 0 permits) with two requests for one queued; one permit is added while
 * the head's stage is cancelled. The grant decides: either the head is granted (the cancel lost,
 * the second request still waits) or the head is withdrawn and the added permit goes to the
 * second request; never both, never neither, and no permit is lost or minted (r1 = cancel()
 * returned true, r2 = head granted, r3 = second granted, r4 = once everything is released, one
 * permit in total, free, and nobody queued).
 */
@JCStressTest
@Outcome(id = "false, true, false, true", expect = ACCEPTABLE, desc = "added first: the head granted, the cancel lost")
@Outcome(id = "true, false, true, true", expect = ACCEPTABLE, desc = "cancel first: the added permit went to the second request")
@Outcome(expect = FORBIDDEN, desc = "both granted, the permit lost, or the counts wrong")
@State
public class AddPermitsVersusCancelOfHead {

    private final AsyncSemaphore gate = new AsyncSemaphore(0);
    private final CompletableFuture<Guard> head = Stages.future(gate.acquire(1));
    private final CompletableFuture<Guard> second = Stages.future(gate.acquire(1));

    @Actor
    public void add() {
        gate.addPermits(1);
    }

    @Actor
    public void cancel(ZZZZ_Result r) {
        r.r1 = head.cancel(false);
    }

    @Arbiter
    public void arbiter(ZZZZ_Result r) {
        r.r2 = Stages.granted(head);
        r.r3 = Stages.granted(second);
        Stages.releaseIfGranted(head);
        Stages.releaseIfGranted(second); // granted by the head's release if it was still queued
        r.r4 = gate.totalPermits() == 1 && gate.availablePermits() == 1 && gate.queueLength() == 0;
    }
}
