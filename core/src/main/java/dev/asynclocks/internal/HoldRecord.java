package dev.asynclocks.internal;

import dev.asynclocks.Guard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

/**
 * What the {@link LockMonitor} remembers of one hold while it lasts, for a hold that is watched:
 * when it began (for the long-hold event, and for the bound {@link dev.asynclocks.LockObserver} if
 * it sampled this hold) and, if leak detection picked it, a phantom reference to its guard (and
 * optionally where it was acquired), so a guard that dies unreleased is reported.
 *
 * <p>Only watched holds have a record; the guard points at it, never the other way round, so the
 * record does not keep the guard alive. Fields are final, written before the record is published
 * with the guard.
 */
final class HoldRecord extends PhantomReference<Guard> {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(HoldRecord.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The monitor of the lock the hold belongs to. */
    final LockMonitor monitor;

    /** Permits the hold has. */
    final int permits;

    /** {@link System#nanoTime()} at the grant, or 0 if nobody wanted the hold timed then. */
    final long grantedAt;

    /** Whether the bound observer sampled this hold: its hold time is reported at the release. */
    final boolean observed;

    /** Where the hold was acquired, if stack traces are on; else {@code null}. */
    final Throwable acquiredAt;

    HoldRecord(Guard guard, ReferenceQueue<Guard> leakQueue, LockMonitor monitor, int permits,
               long grantedAt, boolean observed, Throwable acquiredAt) {
        super(guard, leakQueue);
        this.monitor = monitor;
        this.permits = permits;
        this.grantedAt = grantedAt;
        this.observed = observed;
        this.acquiredAt = acquiredAt;
    }

    /** Set by the first {@link #released()}; later calls do nothing. CAS. */
    private volatile boolean closed;

    /** The hold ended (released or taken over). Idempotent: the first call reports, once. */
    void released() {
        if (CLOSED.compareAndSet(this, false, true)) {
            monitor.onReleased(this);
        }
    }
}
