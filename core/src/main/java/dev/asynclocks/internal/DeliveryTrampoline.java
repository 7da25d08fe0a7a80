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
 * a node has left the queue. While the loop delivers a node it leaves itself in the node
 * ({@code Acquisition.deliveringLoop}), so the release that a continuation makes of the guard it
 * was given (the common chain: acquire, work, release, acquire again) finds the running loop
 * without the {@code ThreadLocal} lookup; a release from any other thread or any other guard
 * looks it up.
 */
final class DeliveryTrampoline {

    private static final ThreadLocal<DeliveryTrampoline> PER_THREAD =
            ThreadLocal.withInitial(DeliveryTrampoline::new);

    /** True while this thread is inside {@link #deliver}'s loop. Own thread only. */
    private boolean running;

    /** The thread this trampoline belongs to. Final. */
    private final Thread thread;

    /** Deliveries queued while running, oldest first. Own thread only. */
    private Acquisition first;
    private Acquisition last;

    private DeliveryTrampoline() {
        this.thread = Thread.currentThread();
    }

    /** @return this thread's trampoline */
    static DeliveryTrampoline current() {
        return PER_THREAD.get();
    }

    /**
     * @return whether {@code loop}, a hint read from a node being delivered, is this thread's
     *         trampoline with its loop running: then a release on this thread may just
     *         {@link #schedule} on it, without reaching the {@link ThreadLocal}
     */
    static boolean isRunningHere(DeliveryTrampoline loop) {
        return loop != null && loop.thread == Thread.currentThread() && loop.running;
    }

    /** Completes the node's acquisition now, or after the deliveries this thread already has. */
    static void deliver(Acquisition node) {
        DeliveryTrampoline trampoline = current();
        trampoline.schedule(node);
        if (trampoline.enter()) {
            trampoline.runAndExit();
        }
    }

    /**
     * Queues the node's delivery on this (own thread's) trampoline, behind every delivery queued
     * before it; the running loop, or the {@link #runAndExit()} that follows an {@link #enter()},
     * delivers it.
     */
    void schedule(Acquisition node) {
        node.next = null;
        if (last == null) {
            first = node;
        } else {
            last.next = node;
        }
        last = node;
    }

    /**
     * Marks this thread as delivering, so that deliveries requested from here on (by this thread,
     * also from inside an executor that runs tasks in place) are only queued.
     *
     * @return {@code true} if the caller must now {@link #runAndExit()}; {@code false} if this
     *         thread was already delivering (the running loop will run them)
     */
    boolean enter() {
        if (running) {
            return false;
        }
        running = true;
        return true;
    }

    /** Runs the queued deliveries, oldest first, then leaves: the end of {@link #enter()}. */
    void runAndExit() {
        try {
            for (Acquisition next = poll(); next != null; next = poll()) {
                next.deliverOn(this);
            }
        } finally {
            running = false;
        }
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
