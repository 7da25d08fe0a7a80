package dev.asynclocks.zookeeper;

import dev.asynclocks.zookeeper.FencedGuard.Loss;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process FIFO of one lock path in one client, and which of its acquisitions share a waiter
 * znode: at most one {@link WaiterNode} per path and client is in use at a time, so a JVM keeps at
 * most one waiter znode per lock; consecutive readers share one read znode.
 *
 * <pre>
 * Implementation overview
 *
 *   acquire --&gt; waiting (FIFO, no znode yet) --start--&gt; current.members (on the znode) --&gt; granted
 *                  |                                        ^
 *                  +--- readers at the head join a READ ----+   (after a check, see below)
 *
 * - current is the node this client uses for the path, or null. When it is null, the head of
 *   waiting starts a new node: a writer (or mutex) alone; a reader together with every reader
 *   directly behind it (consecutive readers share). A try starts a node alone, and only when the
 *   client has nothing going on for the path; nobody joins it until it is granted. A reader's try
 *   may join a granted READ node (after the same check; it fails instead of waiting).
 * - Readers at the head of waiting join the current READ node (pending or granted) when a listing
 *   of the queue, made after they arrived, shows no exclusive znode behind it: a znode they created
 *   at that moment would be granted with it, so joining is FIFO across clients too. If there is
 *   one, they wait for the node to end (a writer queued in another JVM is not overtaken). A writer
 *   in waiting holds back every reader behind it (they are not at the head). One join check is
 *   in flight at a time; readers that arrive meanwhile are checked next.
 * - A node ends when its last member leaves (release, withdrawal, failure): its znode is deleted
 *   (the delete is sent, not awaited: the next create on the same session reaches the server
 *   after it) and the head of waiting starts the next node. A node whose create is still in
 *   flight ends when the create returns (then its delete is sent), so a client never has two
 *   creates or znodes of one path in flight at once, except a znode whose delete is on its way.
 * </pre>
 *
 * <p>Every field is guarded by {@link #mutex}, which is held only for bookkeeping: ZooKeeper calls
 * and stage completions run after it is released ({@code after}). The acquisitions' own state
 * (PENDING to GRANTED/WITHDRAWN/FAILED, one CAS) decides the races with the caller; the queue
 * reacts to the caller's withdrawal under the mutex.
 */
final class LocalQueue {

    /** Written once in the constructor. */
    final ZkLockClient client;
    /** Written once in the constructor. */
    final String path;
    /** Guards every field below and the members of {@link #current}. */
    private final ReentrantLock mutex = new ReentrantLock();
    /** Acquisitions not yet on a znode, in call order. */
    private final ArrayDeque<Acquisition> waiting = new ArrayDeque<>();
    /** The node in use, or null. */
    private WaiterNode current;
    /** The node a join check for the readers at the head of {@link #waiting} is on its way for, or null. */
    private WaiterNode joinCheckFor;

    LocalQueue(ZkLockClient client, String path) {
        this.client = client;
        this.path = path;
    }

    // ---- from the caller ----------------------------------------------------------------------

    /** Queues {@code a} behind every earlier acquisition of this client and path. */
    void enqueue(Acquisition a) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            waiting.add(a);
            if (current == null) {
                startNext(after);
            } else {
                maybeCheckJoin(after);
            }
        } finally {
            mutex.unlock();
        }
        run(after);
    }

    /**
     * A try: starts its own node if this client has nothing going on for the path, or joins the
     * granted READ node if {@code a} is a reader and nobody waits in-process.
     *
     * @return false if the try fails at once (someone in this client holds or waits)
     */
    boolean tryEnqueue(Acquisition a) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            if (!waiting.isEmpty()) {
                return false;
            }
            if (current == null) {
                waiting.add(a);
                startNext(after);
                return true;
            }
            WaiterNode n = current;
            if (a.kind() != NodeKind.READ || !n.joinable() || !n.granted) {
                return false;
            }
            after.add(() -> n.checkJoin(List.of(a), true));
            return true;
        } finally {
            mutex.unlock();
            run(after);
        }
    }

    /** The caller withdrew {@code a} (its state is WITHDRAWN): take it out of wherever it is. */
    void withdrawn(Acquisition a) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            if (waiting.remove(a)) {
                maybeCheckJoin(after);                     // readers may have reached the head
            } else {
                leave(a, after);
            }
        } finally {
            mutex.unlock();
        }
        run(after);
    }

    /** The holder {@code a} released its hold. */
    void released(Acquisition a) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            leave(a, after);
        } finally {
            mutex.unlock();
        }
        run(after);
    }

    // ---- from the node's recipe ---------------------------------------------------------------

    /** The create of {@code n} ended: with its znode ({@code name} non-null), without, or failed. */
    void createEnded(WaiterNode n, String name, long czxid, Throwable failure) {
        createEnded(n, name, czxid, failure, false);
    }

    /**
     * As above; {@code listingFollows}: a listing of the queue was sent right behind the create,
     * and its answer (which follows) takes the place of the first check.
     */
    void createEnded(WaiterNode n, String name, long czxid, Throwable failure, boolean listingFollows) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            if (name != null) {
                n.czxid = czxid;
                n.node = name;
            }
            n.createInFlight = false;
            if (failure != null) {
                fail(n, failure, after);
            }
            if (n.ended) {
                retire(n, after);
            } else if (!n.failed) {
                if (!listingFollows) {
                    after.add(n::check);
                }
                maybeCheckJoin(after);
            }
        } finally {
            mutex.unlock();
        }
        run(after);
    }

    /** Nothing {@code n} waits for is ahead: grant its pending members, in call order. */
    void granted(WaiterNode n) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            if (n.ended || n.failed || n.granted) {
                return;
            }
            n.granted = true;
            grant(n, n.members, after);
            maybeCheckJoin(after);
        } finally {
            mutex.unlock();
            run(after);
        }
    }

    /** A try's node is not first: the try fails, its znode is deleted. */
    void notFree(WaiterNode n) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            for (Acquisition a : List.copyOf(n.members)) {
                if (a.withdrawInternally()) {
                    n.members.remove(a);
                    after.add(() -> a.stage.deliverFailure(Acquisition.NOT_FREE));
                }
            }
            if (n.members.isEmpty()) {
                end(n, after);
            }
        } finally {
            mutex.unlock();
        }
        run(after);
    }

    /** The recipe of {@code n} cannot go on: its pending members fail. */
    void failed(WaiterNode n, Throwable failure) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            fail(n, failure, after);
        } finally {
            mutex.unlock();
        }
        run(after);
    }

    /** The session of {@code n} was lost: pending members fail, holders are told. */
    void sessionLost(WaiterNode n, Loss reason, Throwable failure) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            for (Acquisition a : n.members) {
                Hold h = a.hold;
                if (a.isGranted() && h != null) {
                    after.add(() -> h.markLost(reason));
                }
            }
            fail(n, failure, after);
        } finally {
            mutex.unlock();
        }
        run(after);
    }

    /**
     * A join check of {@code n} came back: {@code ok} if no exclusive znode was behind it.
     * {@code forTry}: the candidate is a try, which is never in {@link #waiting} and fails instead
     * of waiting.
     */
    void joinChecked(WaiterNode n, List<Acquisition> candidates, boolean ok, boolean forTry) {
        List<Runnable> after = new ArrayList<>();
        mutex.lock();
        try {
            boolean open = ok && n == current && n.joinable();
            if (forTry) {
                Acquisition a = candidates.getFirst();
                if (open && n.granted) {
                    join(n, a);
                    grant(n, List.of(a), after);
                } else if (a.withdrawInternally()) {
                    after.add(() -> a.stage.deliverFailure(Acquisition.NOT_FREE));
                }
                return;
            }
            if (joinCheckFor == n) {
                joinCheckFor = null;
            }
            if (!open) {
                if (n == current && !ok) {
                    n.joinRefused = true;                  // an exclusive znode queued behind it
                }
                return;
            }
            Set<Acquisition> checked = Collections.newSetFromMap(new IdentityHashMap<>());
            checked.addAll(candidates);
            List<Acquisition> joined = new ArrayList<>();
            while (!waiting.isEmpty() && checked.contains(waiting.peek())) {
                Acquisition a = waiting.poll();
                join(n, a);
                joined.add(a);
            }
            if (n.granted) {
                grant(n, joined, after);
            }
            maybeCheckJoin(after);                         // readers that arrived after the check
        } finally {
            mutex.unlock();
            run(after);
        }
    }

    // ---- under the mutex ----------------------------------------------------------------------

    /** Starts the next node from the head of {@link #waiting}, if there is no current node. */
    private void startNext(List<Runnable> after) {
        if (current != null || waiting.isEmpty()) {
            return;
        }
        Acquisition head = waiting.poll();
        WaiterNode n = new WaiterNode(this, head.kind(), head.tryOnly);
        join(n, head);
        if (head.kind() == NodeKind.READ && !head.tryOnly) {
            while (!waiting.isEmpty() && waiting.peek().kind() == NodeKind.READ) {
                join(n, waiting.poll());                   // consecutive readers share the znode
            }
        }
        current = n;
        after.add(n::start);
    }

    private static void join(WaiterNode n, Acquisition a) {
        n.members.add(a);
        a.node = n;
    }

    /** Readers at the head of {@link #waiting} ask to join the current READ node. */
    private void maybeCheckJoin(List<Runnable> after) {
        WaiterNode n = current;
        if (n == null || joinCheckFor == n || !n.joinable() || n.joinRefused || n.node == null
                || waiting.isEmpty() || waiting.peek().kind() != NodeKind.READ) {
            return;
        }
        List<Acquisition> candidates = new ArrayList<>();
        for (Acquisition a : waiting) {
            if (a.kind() != NodeKind.READ) {
                break;
            }
            candidates.add(a);
        }
        joinCheckFor = n;
        after.add(() -> n.checkJoin(candidates, false));
    }

    /** Grants the pending ones of {@code acquisitions} (members of the granted node {@code n}). */
    private void grant(WaiterNode n, List<Acquisition> acquisitions, List<Runnable> after) {
        List<Acquisition> granted = new ArrayList<>();
        for (Acquisition a : acquisitions) {
            if (a.grant()) {
                granted.add(a);
            }
        }
        if (granted.isEmpty()) {
            return;
        }
        Session s = n.session;
        boolean lost = s != null && s.isLost();
        Runnable deliver = () -> {
            for (Acquisition a : granted) {
                a.stage.deliver(a.hold);
                if (lost) {
                    a.hold.markLost(s.lossReason());
                }
            }
        };
        boolean allParked = granted.stream().allMatch(a -> a.parkedCaller);
        after.add(allParked ? deliver : () -> execute(deliver));  // one task: delivered in call order
    }

    private void fail(WaiterNode n, Throwable failure, List<Runnable> after) {
        if (n.failed) {
            return;
        }
        n.failed = true;
        List<Acquisition> failedOnes = new ArrayList<>();
        for (Acquisition a : List.copyOf(n.members)) {
            if (a.fail()) {
                n.members.remove(a);
                failedOnes.add(a);
            }
        }
        if (!failedOnes.isEmpty()) {
            boolean allParked = failedOnes.stream().allMatch(a -> a.parkedCaller);
            Runnable deliver = () -> failedOnes.forEach(a -> a.stage.deliverFailure(failure));
            after.add(allParked ? deliver : () -> execute(deliver));
        }
        if (n.members.isEmpty()) {
            end(n, after);
        }
    }

    /** {@code a} leaves its node (released or withdrawn); the last one out ends the node. */
    private void leave(Acquisition a, List<Runnable> after) {
        WaiterNode n = a.node;
        if (n != null && n.members.remove(a) && n.members.isEmpty()) {
            end(n, after);
        }
    }

    /** The node has no members left: delete its znode (once the create returned), start the next. */
    private void end(WaiterNode n, List<Runnable> after) {
        if (n.ended) {
            return;
        }
        n.ended = true;
        if (!n.createInFlight) {
            retire(n, after);
        }
        // else createEnded() retires it
    }

    private void retire(WaiterNode n, List<Runnable> after) {
        Session s = n.session;
        if (s != null) {
            s.live.remove(n);
        }
        if (n.node != null && s != null && !s.isLost()) {
            after.add(n::delete);
        } else {
            n.deleted.complete(null);                      // no znode, or it dies with the session
        }
        if (current == n) {
            current = null;
            startNext(after);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void execute(Runnable task) {
        try {
            client.executor().execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private static void run(List<Runnable> actions) {
        for (Runnable action : actions) {
            action.run();
        }
    }
}
