package dev.asynclocks.internal;

/**
 * A guard of an engine built with {@code detectSelfDeadlock()}: the engine's own guard, plus the
 * {@link ThreadHolds.Count} of the thread that acquired it, from which the hold's permits are
 * subtracted when the hold ends (on any thread). Only the guard's winning {@link #endHold} (the
 * one its delegate says ended the hold) keeps its change of the count, so a repeated or concurrent
 * release subtracts nothing in the end.
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

    /**
     * Uncounts the permits before they go back (and counts them again if this call did not end
     * the hold): a thread that learns of the next grant must not find its own count stale and be
     * refused. A brief undercount, while a losing contender's subtraction is undone, can only hide
     * a self-deadlock for that instant, never invent one.
     */
    @Override
    public boolean endHold(int keep) {
        int held = delegate.heldPermits();
        if (held <= 0) {
            return false;
        }
        count.add(keep - held); // the kept permits stay counted, for the downgraded guard
        if (!delegate.endHold(keep)) {
            count.add(held - keep);
            return false;
        }
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
