package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZ_Result;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A thread parks in {@code lock()}; the other actor releases the holder and then interrupts the
 * parked thread, so the grant and the interrupt race inside {@code lock()}: it returns a guard
 * or throws InterruptedException leaving nothing held (r1: 1 = granted, 2 = interrupted; r2 =
 * the mutex is free and nobody queues at the end).
 *
 * <p>Interrupt hygiene, so that no interrupt leaks into the next state the jcstress worker runs:
 * the waiter publishes its thread in {@code target}; the interrupter claims it by CAS to DONE
 * before interrupting, and says when it has; a waiter whose own CAS to DONE fails waits for that
 * word, then clears its interrupt status.
 */
@JCStressTest
@Outcome(id = "1, true", expect = ACCEPTABLE, desc = "the grant won: lock() returned a guard (released by the waiter)")
@Outcome(id = "2, true", expect = ACCEPTABLE, desc = "the interrupt won: lock() threw, nothing left held, mutex free")
@Outcome(expect = FORBIDDEN, desc = "the mutex was lost or left held")
@State
public class InterruptVersusGrant {

    private static final Object DONE = new Object();

    private final AsyncMutex mutex = new AsyncMutex();
    private final Guard holder = mutex.tryAcquire().orElseThrow();
    private final AtomicReference<Object> target = new AtomicReference<>();
    private volatile boolean interruptSent;

    @Actor
    public void waiter(IZ_Result r) {
        Thread me = Thread.currentThread();
        target.set(me);
        try (Guard guard = mutex.lock()) {
            r.r1 = 1;
        } catch (InterruptedException e) {
            r.r1 = 2;
        }
        if (!target.compareAndSet(me, DONE)) {
            while (!interruptSent) {
                Thread.onSpinWait();
            }
            Thread.interrupted(); // the interrupt may have arrived after lock() returned
        }
    }

    @Actor
    public void releaseThenInterrupt() {
        holder.release();
        Object waiter;
        while ((waiter = target.get()) == null) {
            Thread.onSpinWait(); // the waiter actor has not started on this state yet
        }
        if (waiter != DONE && target.compareAndSet(waiter, DONE)) {
            ((Thread) waiter).interrupt();
            interruptSent = true;
        }
    }

    @Arbiter
    public void arbiter(IZ_Result r) {
        Optional<Guard> probe = mutex.tryAcquire();
        r.r2 = probe.isPresent() && mutex.queueLength() == 0;
        Stages.release(probe);
    }
}
