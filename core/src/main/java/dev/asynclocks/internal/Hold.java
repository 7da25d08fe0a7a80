package dev.asynclocks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The guard of a hold granted to {@code tryAcquire} or {@code lock()}: a count of permits that is
 * returned to the engine exactly once.
 *
 * <p>Implementation overview: {@code held} goes from {@code n} (the permits held) to {@code 0} by
 * one CAS, made by {@link #endHold} (which {@link #release()} calls); whoever wins the CAS
 * owns the permits, so a second release, from any thread, finds {@code 0} and does nothing.
 */
final class Hold implements PermitGuard {

    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(Hold.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The engine the permits belong to. Final. */
    private final HandOffSemaphore owner;

    /** Permits held; 0 once released. Written once more, by CAS, by the thread that ends the hold. */
    private volatile int held;

    /** The monitor's record of this hold, or {@code null}. Written once, before publication. */
    private HoldRecord record;

    /** A new hold of {@code permits}, watched by the monitor if it wants ({@code ticket} samples). */
    Hold(HandOffSemaphore owner, int permits, int ticket) {
        this.owner = owner;
        HELD.set(this, permits);
        this.record = owner.monitor().watch(this, permits, ticket);
    }

    @Override
    public void release() {
        endHold(0);
    }

    @Override
    public boolean endHold(int keep) {
        int permits = held;
        if (permits > 0 && HELD.compareAndSet(this, permits, 0)) {
            if (record != null) {
                record.released();
            }
            owner.endHold(permits, keep, HandOffSemaphore.OWN_COUNT, null);
            return true;
        }
        return false;
    }

    @Override
    public boolean isReleased() {
        return held == 0;
    }

    @Override
    public HandOffSemaphore owner() {
        return owner;
    }

    @Override
    public int heldPermits() {
        return held;
    }

    @Override
    public String toString() {
        return "Guard[" + (isReleased() ? "released" : "holds " + held) + " of " + owner.describe() + "]";
    }
}
