package dev.asynclocks.internal;

/**
 * A test's way into the engine's race windows: called at points where another thread could run
 * between two steps of the engine, so that a test can make it run there, every time, instead of
 * hoping a race lands in the window. Production engines have none ({@code null}: one branch on a
 * final field, on slow paths only).
 *
 * <p>Called under the engine's queue lock: a hook may wake or poll other threads and wait for
 * them with a bound, but must not touch the same lock's queue from this thread.
 */
interface InterleavingHook {

    /**
     * In a release or withdrawal that grants: the granted nodes are unlinked and their permits
     * counted, but the state word holding them is not yet written and no node is marked granted.
     */
    void beforeGrantPublished();
}
