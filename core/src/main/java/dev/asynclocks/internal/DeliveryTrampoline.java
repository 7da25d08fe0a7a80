package dev.asynclocks.internal;

/**
 * Completes granted acquisitions on the current thread without letting hand-offs recurse.
 *
 * <p>Completing an acquisition runs its continuations, which may release the lock, which grants
 * the next acquisition, whose continuations may release again, and so on: done naively, a chain of
 * a million waiters is a million nested frames. Instead, the outermost delivery on a thread runs a
 * loop; a delivery requested while that loop is running (from inside a continuation, on the same
 * thread) is queued and run by the loop once the current continuation returns. A release that
 * grants a batch enters the loop before it wakes the first member, so every member is queued
 * first: a batch is delivered in grant order, before anything a member's continuation grants.
 *
 * <p>Implementation overview: one instance per thread that ever delivers, reached through a
 * {@link ThreadLocal} and touched only by its own thread, so its fields need no synchronization.
 * Pending deliveries are chained through the granted nodes' {@code next} link, which is free once
 * a node has left the queue.
 */
final class DeliveryTrampoline {

    private static final ThreadLocal<DeliveryTrampoline> PER_THREAD =
            ThreadLocal.withInitial(DeliveryTrampoline::new);

    /** True while this thread is inside {@link #deliver}'s loop. Own thread only. */
    private boolean running;

    /** Deliveries queued while running, oldest first. Own thread only. */
    private Acquisition first;
    private Acquisition last;

    private DeliveryTrampoline() {
    }

    /** Completes the node's acquisition now, or after the deliveries this thread already has. */
    static void deliver(Acquisition node) {
        schedule(node);
        drain();
    }

    /**
     * Queues the node's delivery on this thread, behind every delivery queued before it; it runs
     * at the next {@link #drain()} on this thread (or in the loop already running here).
     */
    static void schedule(Acquisition node) {
        PER_THREAD.get().enqueue(node);
    }

    /**
     * Runs this thread's queued deliveries, oldest first, including those that their
     * continuations queue, unless this thread is already inside this loop (a continuation
     * releasing a lock): then the running loop gets to them once the continuation returns.
     */
    static void drain() {
        DeliveryTrampoline trampoline = enter();
        if (trampoline != null) {
            trampoline.runAndExit();
        }
    }

    /**
     * Marks this thread as delivering, so that deliveries requested from here on (by this thread,
     * also from inside an executor that runs tasks in place) are only queued.
     *
     * @return this thread's trampoline, which the caller must {@link #runAndExit()}; or
     *         {@code null} if this thread was already delivering (the running loop will run them)
     */
    static DeliveryTrampoline enter() {
        DeliveryTrampoline trampoline = PER_THREAD.get();
        if (trampoline.running) {
            return null;
        }
        trampoline.running = true;
        return trampoline;
    }

    /** Runs the queued deliveries, oldest first, then leaves: the end of {@link #enter()}. */
    void runAndExit() {
        try {
            for (Acquisition next = poll(); next != null; next = poll()) {
                next.deliver();
            }
        } finally {
            running = false;
        }
    }

    private void enqueue(Acquisition node) {
        node.next = null;
        if (last == null) {
            first = node;
        } else {
            last.next = node;
        }
        last = node;
    }

    private Acquisition poll() {
        Acquisition node = first;
        if (node != null) {
            first = node.next;
            if (first == null) {
                last = null;
            }
            node.next = null;
        }
        return node;
    }
}
