package dev.asynclocks.internal;

import dev.asynclocks.Guard;

/**
 * What the engine needs to know of its own guards ({@link Hold} and {@link Acquisition}): whose
 * permits they hold, how many, and how to end the hold without returning the permits (a downgrade
 * returns them itself).
 */
interface PermitGuard extends Guard {

    /** @return the engine whose permits this guard holds */
    HandOffSemaphore owner();

    /** @return the permits held now, or zero or less if the hold has ended or not yet begun */
    int heldPermits();

    /**
     * Ends the hold without returning its permits: the caller takes them over.
     *
     * @param expected the permits the caller expects this guard to hold
     * @return {@code true} if this call ended a live hold of {@code expected} permits
     */
    boolean takeOver(int expected);
}
