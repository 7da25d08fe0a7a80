package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
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
 * A queued waiter's stage is cancelled while the mutex is closed: exactly one of them decides the
 * stage (r1 = cancel() returned true, r2 = the stage is cancelled, r3 = it failed with
 * {@code LockClosedException}); the holder's guard still releases, and nothing stays queued (r4).
 */
@JCStressTest
@Outcome(id = "true, true, false, true", expect = ACCEPTABLE, desc = "cancel first: withdrawn, the close found an empty queue")
@Outcome(id = "false, false, true, true", expect = ACCEPTABLE, desc = "close first: the stage failed with LockClosedException, the cancel lost")
@Outcome(expect = FORBIDDEN, desc = "both, neither, or a cancel that returned true on a closed-out stage")
@State
public class CloseVersusCancel {

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> waiter = Stages.future(mutex.acquire());

    @Actor
    public void cancel(ZZZZ_Result r) {
        r.r1 = waiter.cancel(false);
    }

    @Actor
    public void close() {
        mutex.close(new IllegalStateException("shutting down"));
    }

    @Arbiter
    public void arbiter(ZZZZ_Result r) {
        r.r2 = waiter.isCancelled();
        r.r3 = Stages.failedClosed(waiter);
        holder.release();
        r.r4 = holder.isReleased() && mutex.queueLength() == 0;
    }
}
