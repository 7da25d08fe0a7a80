package dev.asynclocks.internal;

/** Why a queued acquisition left the queue without being granted (for the counters). */
enum Withdrawal {
    /** Its stage was cancelled, completed or obtruded by the caller. */
    CANCELLED,
    /** Its timeout elapsed. */
    TIMEOUT,
    /** Its parked thread was interrupted. */
    INTERRUPTED,
    /** The lock was closed while it waited. */
    CLOSED
}
