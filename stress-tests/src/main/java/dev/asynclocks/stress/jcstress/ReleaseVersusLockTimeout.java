package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZ_Result;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The holder releases while a thread parked in {@code lock(timeout)} reaches its deadline: it
 * is granted or times out, never both, and the mutex ends free (r1: 1 = granted, 2 =
 * TimeoutException, 3 = InterruptedException; r2 = free and nobody queues at the end).
 */
@JCStressTest
@Outcome(id = "1, true", expect = ACCEPTABLE, desc = "the release won: the parked thread got the mutex")
@Outcome(id = "2, true", expect = ACCEPTABLE, desc = "the timeout won: the thread withdrew, the mutex is free")
@Outcome(expect = FORBIDDEN, desc = "an interrupt from nowhere, or the mutex was lost")
@State
public class ReleaseVersusLockTimeout {

    private static final Duration TIMEOUT = Duration.ofNanos(20_000);

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void lockWithTimeout(IZ_Result r) {
        try (Guard guard = mutex.lock(TIMEOUT)) {
            r.r1 = 1;
        } catch (TimeoutException e) {
            r.r1 = 2;
        } catch (InterruptedException e) {
            r.r1 = 3;
        }
    }

    @Arbiter
    public void arbiter(IZ_Result r) {
        Optional<Guard> probe = mutex.tryAcquire();
        r.r2 = probe.isPresent() && mutex.queueLength() == 0;
        Stages.release(probe);
    }
}
