package dev.asynclocks.internal;

import dev.asynclocks.Guard;

import java.util.concurrent.CompletableFuture;

/**
 * The stage {@code acquire()} returns when it takes all of an engine's permits at once, unwatched:
 * already complete, with itself as the guard; released by one CAS on the engine's state. Same
 * scheme as {@link ExclusiveHold} (see there), as a {@link CompletableFuture}: 32 bytes, the only
 * allocation of an uncontended async acquisition.
 *
 * <p>The stage is complete before the caller sees it, so {@code cancel}, {@code complete} and
 * {@code completeExceptionally} can only fail. An obtrude replaces the guard: the hold is
 * abandoned, and released.
 */
final class ExclusiveGrant extends CompletableFuture<Guard> implements PermitGuard {

    /** The engine the permits belong to. Final. */
    private final HandOffSemaphore owner;

    /** The grant count written by this hold's grant. Final. */
    private final int generation;

    /** Hint: set (plainly) by the thread that ended the hold; the state CAS decides. */
    private boolean released;

    ExclusiveGrant(HandOffSemaphore owner, int generation) {
        this.owner = owner;
        this.generation = generation;
        super.obtrudeValue(this);
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            owner.endHold(owner.exclusivePermits(), 0, generation, null);
        }
    }

    @Override
    public boolean isReleased() {
        return released || !owner.holdsExclusive(generation);
    }

    @Override
    public HandOffSemaphore owner() {
        return owner;
    }

    @Override
    public int heldPermits() {
        return isReleased() ? 0 : owner.exclusivePermits();
    }

    @Override
    public boolean endHold(int keep) {
        if (released || !owner.endHold(owner.exclusivePermits(), keep, generation, null)) {
            return false;
        }
        released = true;
        return true;
    }

    @Override
    public void obtrudeValue(Guard value) {
        super.obtrudeValue(value);
        if (value != this) {
            release();
        }
    }

    @Override
    public void obtrudeException(Throwable failure) {
        super.obtrudeException(failure);
        release();
    }

    @Override
    public String toString() {
        return "Acquisition[" + (isReleased() ? "released" : "holds all") + " of " + owner.describe()
                + ", " + super.toString() + "]";
    }
}
