package dev.asynclocks.zookeeper;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One caller's acquisition of a distributed lock: its stage, its state, and once granted its hold.
 * The waiter znode it waits on is a {@link WaiterNode}, which it may share with other readers of
 * the same client; the {@link LocalQueue} of the lock path decides which node, and when.
 *
 * <pre>
 * Implementation overview
 *
 * The state decides every race between the caller and the queue (one CAS each way):
 *
 *             grant (LocalQueue, under its mutex)            release (Hold)
 *   PENDING ---------------------------------------&gt; GRANTED -------------&gt; leaves its node
 *      |
 *      +-- withdraw (cancel, caller's complete, timeout, interrupt, failed try) --&gt; WITHDRAWN
 *      +-- fail (session lost, ZooKeeper error) -----------------------------------&gt; FAILED
 *
 * A withdrawal by the caller wins the CAS first and then tells the queue, which takes the
 * acquisition out of its FIFO or off its node (the last member out ends the node and deletes its
 * znode). A grant or failure is decided by the queue under its mutex; an acquisition whose CAS
 * was lost to the caller is skipped and removed when the caller's withdrawal arrives.
 * </pre>
 */
final class Acquisition {

    private static final int PENDING = 0;
    private static final int GRANTED = 1;
    private static final int WITHDRAWN = 2;
    private static final int FAILED = 3;

    /** Completes a try's stage when someone is ahead: never seen by callers. */
    static final RuntimeException NOT_FREE = new RuntimeException("not free", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** Written once in the constructor. */
    private final ZkLock lock;
    /** Written once in the constructor: give up instead of waiting. */
    final boolean tryOnly;
    /**
     * Written once in the constructor: the stage is internal to a parked caller ({@code lock},
     * {@code tryAcquire}), which only waits on it; it may be completed on the event thread.
     */
    final boolean parkedCaller;
    /** Written once in the constructor; the caller's stage. */
    final AcquireStage stage;

    /** PENDING, GRANTED, WITHDRAWN or FAILED; CAS only, from PENDING. */
    private final AtomicInteger state = new AtomicInteger(PENDING);
    /** The node this acquisition is on; written once, under the queue's mutex, when it joins one. */
    volatile WaiterNode node;
    /** Written once by {@link #grant()}, before the state becomes GRANTED. */
    volatile Hold hold;

    private Acquisition(ZkLock lock, boolean tryOnly, boolean parkedCaller) {
        this.lock = lock;
        this.tryOnly = tryOnly;
        this.parkedCaller = parkedCaller || tryOnly;
        this.stage = new AcquireStage(this);
    }

    /**
     * Starts a waiting acquisition: queues it in-process behind every earlier one of the path.
     *
     * @param parkedCaller the stage never leaves the calling method, whose thread waits on it
     */
    static Acquisition start(ZkLock lock, boolean parkedCaller) {
        Acquisition a = new Acquisition(lock, false, parkedCaller);
        lock.client().localQueue(lock.path()).enqueue(a);
        return a;
    }

    /** Starts a try, or returns null if it fails at once (someone in this client holds or waits). */
    static Acquisition tryStart(ZkLock lock) {
        Acquisition a = new Acquisition(lock, true, true);
        return lock.client().localQueue(lock.path()).tryEnqueue(a) ? a : null;
    }

    NodeKind kind() {
        return lock.kind();
    }

    // ---- decided by the queue, under its mutex --------------------------------------------------

    /** @return whether this acquisition was still pending and is now granted (its hold made) */
    boolean grant() {
        hold = new Hold(this);
        return state.compareAndSet(PENDING, GRANTED);
    }

    /** @return whether this acquisition was still pending and has now failed */
    boolean fail() {
        return state.compareAndSet(PENDING, FAILED);
    }

    /** A try found someone ahead. @return whether it was still pending */
    boolean withdrawInternally() {
        return state.compareAndSet(PENDING, WITHDRAWN);
    }

    boolean isGranted() {
        return state.get() == GRANTED;
    }

    // ---- the caller's ways out ----------------------------------------------------------------

    /** The caller gives up (cancel, complete, timeout, interrupt). @return whether it won against the grant */
    boolean withdraw() {
        if (!state.compareAndSet(PENDING, WITHDRAWN)) {
            return false;
        }
        queue().withdrawn(this);
        return true;
    }

    /** The caller obtruded a value on a granted stage: the hold is nobody's, release it. */
    void abandonHold() {
        Hold h = hold;
        if (state.get() == GRANTED && h != null) {
            h.release();
        }
    }

    /** The hold ends (called once, by {@link Hold#release()}). */
    void release() {
        queue().released(this);
    }

    // ---- helpers -------------------------------------------------------------------------------

    long fencingToken() {
        WaiterNode n = node;
        return n == null ? 0 : n.czxid;
    }

    String describeNode() {
        return String.valueOf(node);
    }

    private LocalQueue queue() {
        return lock.client().localQueue(lock.path());
    }
}
