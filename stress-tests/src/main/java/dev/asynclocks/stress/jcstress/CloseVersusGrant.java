package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import dev.asynclocks.LockClosedException;
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
 * The holder releases while the mutex is closed, with one waiter queued: the waiter is either
 * granted (the release came first; its guard is live and releases normally) or fails with
 * {@link LockClosedException} (the close came first), never both, never neither; afterwards
 * nobody queues and every acquisition is refused (r1 = the waiter got a live guard, r2 = the
 * waiter failed with LockClosedException, r3 = queue empty, closed, and a try is refused).
 */
@JCStressTest
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "release first: the waiter was granted before the close")
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "close first: the waiter failed with LockClosedException")
@Outcome(expect = FORBIDDEN, desc = "both, neither, or a lock left open or with a waiter")
@State
public class CloseVersusGrant {

    private static final IllegalStateException CAUSE = new IllegalStateException("shutting down");

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> waiter = Stages.future(mutex.acquire());

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void close() {
        mutex.close(CAUSE);
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r1 = Stages.granted(waiter);
        r.r2 = Stages.failedClosed(waiter);
        Stages.releaseIfGranted(waiter);
        boolean refused;
        try {
            mutex.tryAcquire().ifPresent(Guard::release);
            refused = false;
        } catch (LockClosedException expected) {
            refused = expected.getCause() == CAUSE;
        }
        r.r3 = refused && mutex.isClosed() && mutex.queueLength() == 0;
    }
}
