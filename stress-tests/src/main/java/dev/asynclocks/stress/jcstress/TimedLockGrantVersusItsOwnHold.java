package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZZ_Result;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The write holder releases while a thread parked in {@code writeLock().lock(timeout)} reaches
 * its deadline (issue 11, item 2). A waiter that returns with a guard must find its own hold in
 * the lock's state at once: the guard is not released, the lock is write-locked, and
 * {@code downgrade} accepts the guard. Before the fix a node was marked granted before the state
 * word was written, and a waiter waking by its deadline could return in between (r1: 1 = granted,
 * 2 = TimeoutException, 3 = InterruptedException; r2 = the granted waiter saw its hold, or true
 * when it timed out; r3 = the lock is free and nobody queues at the end).
 */
@JCStressTest
@Outcome(id = "1, true, true", expect = ACCEPTABLE, desc = "the release won: the waiter got the write lock and saw it")
@Outcome(id = "2, true, true", expect = ACCEPTABLE, desc = "the timeout won: the waiter withdrew, the lock is free")
@Outcome(id = "1, false, .*", expect = FORBIDDEN, desc = "a live write guard looked released, or the state did not show it")
@Outcome(expect = FORBIDDEN, desc = "an interrupt from nowhere, or the lock was lost")
@State
public class TimedLockGrantVersusItsOwnHold {

    private static final Duration TIMEOUT = Duration.ofNanos(20_000);

    private final AsyncRwLock rw = new AsyncRwLock();
    private final Guard holder = rw.writeLock().tryAcquire().orElseThrow();

    @Actor
    public void release() {
        holder.release();
    }

    @Actor
    public void lockWithTimeout(IZZ_Result r) {
        Guard guard;
        try {
            guard = rw.writeLock().lock(TIMEOUT);
        } catch (TimeoutException e) {
            r.r1 = 2;
            r.r2 = true;
            return;
        } catch (InterruptedException e) {
            r.r1 = 3;
            return;
        }
        r.r1 = 1;
        boolean seen = !guard.isReleased() && rw.isWriteLocked();
        try {
            rw.downgrade(guard).release();
        } catch (IllegalArgumentException refused) {
            seen = false;
            guard.release();
        }
        r.r2 = seen;
    }

    @Arbiter
    public void arbiter(IZZ_Result r) {
        Optional<Guard> probe = rw.writeLock().tryAcquire();
        r.r3 = probe.isPresent() && rw.queueLength() == 0;
        Stages.release(probe);
    }
}
