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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The holder releases while a waiter's {@code acquire(timeout)} times out (the JDK's delay
 * scheduler completes the stage exceptionally): the waiter is granted or times out, never both,
 * and the mutex ends free (r1: 1 = granted, 2 = TimeoutException, 3 = not done within 10 s,
 * 4 = other failure; r2 = free and nobody queues at the end).
 *
 * <p>The timeout runs on the JDK's delay-scheduler thread, which jcstress does not wait for: a
 * timeout withdraws the acquisition, then completes the stage, so the arbiter can arrive between
 * the two. It therefore waits (boundedly) for the stage before judging it.
 */
@JCStressTest
@Outcome(id = "1, true", expect = ACCEPTABLE, desc = "the release won: the waiter got the mutex")
@Outcome(id = "2, true", expect = ACCEPTABLE, desc = "the timeout won: the waiter withdrew, the mutex is free")
@Outcome(id = "3, .*", expect = FORBIDDEN, desc = "the stage was neither granted nor timed out after the release")
@Outcome(expect = FORBIDDEN, desc = "wrong failure, or the mutex was lost")
@State
public class ReleaseVersusAsyncTimeout {

    private static final Duration TIMEOUT = Duration.ofNanos(20_000);

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private CompletableFuture<Guard> waiter;

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void acquireWithTimeout() {
        waiter = Stages.future(mutex.acquire(TIMEOUT));
    }

    @Arbiter
    public void arbiter(IZ_Result r) {
        if (!Stages.awaitDone(waiter)) {
            r.r1 = 3;
        } else if (Stages.granted(waiter)) {
            r.r1 = 1;
            waiter.join().release();
        } else {
            try {
                waiter.join();
                r.r1 = 4;
            } catch (CompletionException e) {
                r.r1 = e.getCause() instanceof TimeoutException ? 2 : 4;
            }
        }
        Optional<Guard> probe = mutex.tryAcquire();
        r.r2 = probe.isPresent() && mutex.queueLength() == 0;
        Stages.release(probe);
    }
}
