package dev.asynclocks.internal;

import dev.asynclocks.Guard;

/**
 * What the engine needs to know of its own guards: whose permits they hold, how many, and how to
 * downgrade. Two families: {@link Hold} and {@link Acquisition} keep their own count of permits,
 * ended by a CAS on it (any hold, watched or not); {@link ExclusiveHold} and
 * {@link ExclusiveGrant} hold all permits, unwatched, and are ended by the engine's own CAS on its
 * state, which checks the hold's generation (one CAS per release instead of two).
 */
interface PermitGuard extends Guard {

    /** @return the engine whose permits this guard holds */
    HandOffSemaphore owner();

    /** @return the permits held now, or zero or less if the hold has ended or not yet begun */
    int heldPermits();

    /**
     * Ends this live hold of {@code from} permits, atomically keeping {@code to} of them (for the
     * caller's new guard) and returning the rest to the engine.
     *
     * @return {@code true} if this call ended the hold; {@code false} if it had already ended
     */
    boolean downgradeHold(int from, int to);
}
