package dev.asynclocks.internal;

/**
 * A guard of an engine built with {@code detectSelfDeadlock()}: the engine's own guard, plus the
 * {@link ThreadHolds.Count} of the thread that acquired it, from which the hold's permits are
 * subtracted when the hold ends (on any thread). Only the guard's winning {@link #endHold} (the
 * one its delegate says ended the hold) changes the count, so a repeated or concurrent release
 * subtracts nothing more.
 */
final class TrackedGuard implements PermitGuard {

    private final PermitGuard delegate;
    private final ThreadHolds.Count count;

    TrackedGuard(PermitGuard delegate, ThreadHolds.Count count) {
        this.delegate = delegate;
        this.count = count;
    }

    ThreadHolds.Count count() {
        return count;
    }

    @Override
    public HandOffSemaphore owner() {
        return delegate.owner();
    }

    @Override
    public int heldPermits() {
        return delegate.heldPermits();
    }

    @Override
    public boolean endHold(int keep) {
        int held = delegate.heldPermits();
        if (!delegate.endHold(keep)) {
            return false;
        }
        count.add(keep - held); // the kept permits stay counted, for the downgraded guard
        return true;
    }

    @Override
    public void release() {
        endHold(0);
    }

    @Override
    public boolean isReleased() {
        return delegate.isReleased();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
