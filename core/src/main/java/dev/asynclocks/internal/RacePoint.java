package dev.asynclocks.internal;

/**
 * The places where {@link HandOffSemaphore} calls its {@link RaceHook}: each one a window between
 * two steps in which another thread's action changes what the second step finds.
 */
enum RacePoint {

    /** A fast-path take has read the state and found the permits free, before its CAS. */
    BEFORE_TAKE_CAS,

    /** A release without waiters in sight has checked the hold is live, before its CAS. */
    BEFORE_RETURN_CAS,

    /**
     * A release has seen waiters (W set) and is about to take the queue lock: the queue may empty
     * (a cancel, a timeout) before it gets the lock. Not under the lock.
     */
    RELEASE_BEFORE_QUEUE_LOCK,

    /**
     * An acquisition failed the fast path and holds the queue lock, before it looks at the state
     * again (it may be admitted on this re-check). Under the lock.
     */
    ENQUEUE_UNDER_QUEUE_LOCK,

    /** A withdrawal (cancel, timeout, interrupt) is about to take the queue lock. Not under the lock. */
    WITHDRAW_BEFORE_QUEUE_LOCK,

    /**
     * A release or withdrawal that grants: the granted nodes are unlinked and their permits
     * counted, but the state word holding them is not yet written and no node is marked granted.
     * Under the lock.
     */
    GRANT_BEFORE_PUBLISH
}
