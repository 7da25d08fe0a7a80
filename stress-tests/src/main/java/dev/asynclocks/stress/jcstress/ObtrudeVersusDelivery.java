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
 * The caller obtrudes an exception onto its queued acquisition while the holder's release grants
 * it: the obtrude always takes effect and abandons the acquisition, withdrawn before the grant or
 * released after it, and the permit comes back exactly once (r1 = the mutex can be taken once
 * everything settled, r2 = it cannot be taken twice: no permit was minted by a double return).
 * Engine v2's "second delivery releases the live hold" mutant (docs/design/engine-v2.md).
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the abandoned acquisition's permit came back, once")
@Outcome(id = "false, .*", expect = FORBIDDEN, desc = "the permit was lost: the mutex stays held by nobody")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "the permit came back twice: two holders at once")
@State
public class ObtrudeVersusDelivery {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> waiter = Stages.future(mutex.acquire());

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void obtrude() {
        waiter.obtrudeException(new IllegalStateException("abandoned by the caller"));
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        Optional<Guard> first = mutex.tryAcquire();
        Optional<Guard> second = mutex.tryAcquire();
        r.r1 = first.isPresent() && mutex.queueLength() == 0;
        r.r2 = second.isEmpty();
        Stages.release(second);
        Stages.release(first);
    }
}
