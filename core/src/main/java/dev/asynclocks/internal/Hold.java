package dev.asynclocks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The guard of a hold granted to {@code tryAcquire} or {@code lock()}: a count of permits that is
 * returned to the engine exactly once.
 *
 * <p>Implementation overview: {@code held} goes from {@code n} (the permits held) to {@code 0} by
 * one CAS, made by {@link #release()} or by a downgrade's {@link #takeOver}; whoever wins the CAS
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

    Hold(HandOffSemaphore owner, int permits) {
        this.owner = owner;
        this.held = permits;
    }

    @Override
    public void release() {
        int permits = held;
        if (permits > 0 && HELD.compareAndSet(this, permits, 0)) {
            owner.release(permits);
        }
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
    public boolean takeOver(int expected) {
        return expected > 0 && HELD.compareAndSet(this, expected, 0);
    }

    @Override
    public String toString() {
        return "Guard[" + (isReleased() ? "released" : "holds " + held) + " of " + owner.name() + "]";
    }
}
