package dev.asynclocks.internal;

/**
 * The guard of an unwatched hold of all of an engine's permits (a mutex hold, a write hold),
 * granted to {@code tryAcquire} or {@code lock()}: released by one CAS on the engine's state.
 *
 * <p>Implementation overview: the engine's state word carries an EXCLUSIVE bit and the count of
 * grants, and the grant of this hold wrote {@code generation} there. While this hold lasts nobody
 * else can be granted, so the count stays at {@code generation}; the release is a CAS that
 * expects EXCLUSIVE and {@code generation} and returns the permits. A second release, from any
 * thread, finds EXCLUSIVE clear or a later generation and does nothing. {@code released} is only a
 * hint, read first so that a repeated release costs no CAS; the state CAS alone decides. (The
 * count has 31 bits: a stale release that misses the hint could only match again after exactly a
 * multiple of 2^31 further grants.)
 */
final class ExclusiveHold implements PermitGuard {

    /** The engine the permits belong to. Final. */
    private final HandOffSemaphore owner;

    /** The grant count written by this hold's grant. Final. */
    private final int generation;

    /** Hint: set (plainly) by the thread that ended the hold. */
    private boolean released;

    ExclusiveHold(HandOffSemaphore owner, int generation) {
        this.owner = owner;
        this.generation = generation;
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
    public String toString() {
        return "Guard[" + (isReleased() ? "released" : "holds all") + " of " + owner.describe() + "]";
    }
}
