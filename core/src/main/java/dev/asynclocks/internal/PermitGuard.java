package dev.asynclocks.internal;

import dev.asynclocks.Guard;

/**
 * What the engine needs to know of its own guards: whose permits they hold, how many, and the
 * one way to end a hold ({@link #endHold}). Two families: {@link Hold} and {@link Acquisition} keep
 * their own count of permits, ended by a CAS on it (any hold, watched or not), except that an
 * {@link Acquisition} holding all permits ends as the second family does; {@link ExclusiveHold}
 * and {@link ExclusiveGrant} hold all permits, unwatched, and are ended by the engine's own CAS on
 * its state, which checks the hold's generation (one CAS per release instead of two).
 * {@link TrackedGuard} wraps either for the self-deadlock check.
 */
interface PermitGuard extends Guard {

    /** @return the engine whose permits this guard holds */
    HandOffSemaphore owner();

    /** @return the permits held now, or zero or less if the hold has ended or not yet begun */
    int heldPermits();

    /**
     * The one way a hold ends: if it is live, ends it, atomically keeping {@code keep} of its
     * permits for the caller's new guard ({@code 0} for a release; a downgrade keeps the read
     * hold's) and returning the rest to the engine ({@link HandOffSemaphore#endHold}). Exactly one
     * call ends a hold; {@link #release()} is {@code endHold(0)}.
     *
     * @return {@code true} if this call ended the hold; {@code false} if it had already ended, and
     *         then nothing changed
     */
    boolean endHold(int keep);
}
