package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import dev.asynclocks.LockObserver;
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
 * {@link ObtrudeVersusDelivery} with every hold watched (an observer bound with
 * {@code holdSampleEvery = 1}): the grant's delivery attaches a hold record while the caller's
 * obtrude releases the abandoned hold, so the two releases of that exclusive grant may see it
 * unwatched and watched. The permit must still come back exactly once (r1 = the mutex can be
 * taken once everything settled, r2 = it cannot be taken twice). A review found that an exclusive
 * grant ended by the CAS on its own count when watched and by the engine's generation check when
 * not, so the two releases could both return the permit.
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the abandoned acquisition's permit came back, once")
@Outcome(id = "false, .*", expect = FORBIDDEN, desc = "the permit was lost: the mutex stays held by nobody")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "the permit came back twice: two holders at once")
@State
public class ObtrudeVersusDeliveryOfWatchedGrant {

    private static final LockObserver IGNORE_ALL = new LockObserver() {
        @Override
        public void waited(long nanos) {
        }

        @Override
        public void held(long nanos) {
        }
    };

    private final AsyncMutex mutex = watchedMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> waiter = Stages.future(mutex.acquire());

    private static AsyncMutex watchedMutex() {
        AsyncMutex mutex = new AsyncMutex();
        mutex.bind(IGNORE_ALL, 1);
        return mutex;
    }

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
