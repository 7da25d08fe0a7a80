package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;
import dev.asynclocks.zookeeper.FencedGuard.Loss;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One acquisition of a distributed lock, from the in-process queue to the release of its hold:
 * the lock recipe.
 *
 * <pre>
 * Implementation overview
 *
 * 1. In-process FIFO: take the lock path's local AsyncMutex (so a client has at most one waiter
 *    znode per path).
 * 2. Create the waiter znode, EPHEMERAL_SEQUENTIAL, named _c_&lt;uuid&gt;-&lt;kind&gt;-&lt;seq&gt;. The
 *    uuid is this acquisition's own: if the create fails with a connection loss, after the
 *    reconnect the children are listed and a child with the prefix is ours (the create happened);
 *    none means it did not, and it is retried. A missing parent is created (container znodes).
 * 3. List the children, sort by sequence, find the predecessor this kind waits for
 *    ({@link NodeKind#predecessor}); none: granted. Otherwise watch only that predecessor
 *    ({@code exists} with a watch; no herd effect) and list again when it is deleted.
 * 4. Release: delete the znode, then release the local mutex.
 *
 * The state decides every race (one CAS each way):
 *
 *             grant (3)                        release
 *   PENDING ------------------&gt; GRANTED  ------------------&gt; (znode deleted, local released)
 *      |
 *      +-- withdraw (cancel, caller's complete, timeout, interrupt, failed try) --&gt; WITHDRAWN
 *      +-- fail (session lost, ZooKeeper error) -----------------------------------&gt; FAILED
 *
 * WITHDRAWN and FAILED run cleanup(): cancel the local acquisition if it is not granted yet,
 * else wait for an in-flight create to end (the create path calls cleanup() again when it sees
 * the state), then delete the znode if there is one, then release the local mutex. Fields that
 * race (localGuard vs state, createInFlight/node vs state) are volatile and each side writes its
 * own field before reading the other's, so at least one side sees the other and cleans up;
 * cleanup's steps are idempotent.
 * </pre>
 *
 * <p>All ZooKeeper calls are asynchronous; their callbacks run on the session's event thread and
 * never block. Stages are completed on the client's executor.
 */
final class Acquisition {

    private static final int PENDING = 0;
    private static final int GRANTED = 1;
    private static final int WITHDRAWN = 2;
    private static final int FAILED = 3;

    private static final byte[] NO_DATA = new byte[0];

    /** Completes a try's stage when someone is ahead: never seen by callers. */
    static final RuntimeException NOT_FREE = new RuntimeException("not free", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** Written once in the constructor. */
    private final ZkLock lock;
    /** Written once in the constructor: the unique name prefix of this acquisition's znode. */
    private final String namePrefix;
    /** Written once in the constructor: list once and give up instead of waiting. */
    private final boolean tryOnly;
    /**
     * Written once in the constructor: the stage is internal to a parked caller ({@code lock},
     * {@code tryAcquire}), which only waits on it; it may be completed on the event thread.
     */
    private final boolean parkedCaller;
    /** Written once in the constructor; the caller's stage. */
    final AcquireStage stage;
    /** Completed once, when the local mutex is released (the znode deleted before that). */
    final CompletableFuture<Void> cleaned = new CompletableFuture<>();

    /** PENDING, GRANTED, WITHDRAWN or FAILED; CAS only, from PENDING. */
    private final AtomicInteger state = new AtomicInteger(PENDING);
    /** Written once by {@link #start}, before the caller sees the stage. */
    private volatile CompletableFuture<Guard> localStage;
    /** Written once, by the local grant; read by cleanup. */
    private volatile Guard localGuard;
    /** True from the first create until the znode is known or known not to exist; create path only. */
    private volatile boolean createInFlight;
    /** Written once, before the first create. */
    private volatile Session session;
    /** Full path of the waiter znode; written once by the create path (before createInFlight = false). */
    private volatile String node;
    /** The znode's czxid, the fencing token; written before {@link #node}. */
    private volatile long czxid;
    /** Written once by {@link #grant}, before the state becomes GRANTED. */
    private volatile Hold hold;
    /** The znode delete runs once. */
    private final AtomicBoolean deleteStarted = new AtomicBoolean();
    /** The local mutex is released once. */
    private final AtomicBoolean localReleased = new AtomicBoolean();

    private Acquisition(ZkLock lock, boolean tryOnly, boolean parkedCaller) {
        this.lock = lock;
        this.tryOnly = tryOnly;
        this.parkedCaller = parkedCaller || tryOnly;
        this.namePrefix = lock.kind().namePrefix(UUID.randomUUID().toString());
        this.stage = new AcquireStage(this);
    }

    /**
     * Starts an acquisition.
     *
     * @param tryOnly      give up instead of waiting (then {@code localHeld} is the local guard)
     * @param parkedCaller the stage never leaves the calling method, whose thread waits on it
     * @param localHeld    the local mutex's guard if the caller already took it (a try), else null
     */
    static Acquisition start(ZkLock lock, boolean tryOnly, boolean parkedCaller, Guard localHeld) {
        Acquisition a = new Acquisition(lock, tryOnly, parkedCaller);
        if (localHeld != null) {
            a.onLocal(localHeld, null);
        } else {
            CompletableFuture<Guard> local = lock.client().localQueue(lock.path()).acquire().toCompletableFuture();
            a.localStage = local;
            local.whenComplete(a::onLocal);
        }
        return a;
    }

    // ---- the way in ----------------------------------------------------------------------------

    private void onLocal(Guard guard, Throwable failure) {
        if (failure != null) {          // our cleanup cancelled the local acquisition
            cleaned.complete(null);
            return;
        }
        localGuard = guard;
        if (state.get() != PENDING) {
            cleanup();
            return;
        }
        createInFlight = true;
        if (state.get() != PENDING) {
            createInFlight = false;
            cleanup();
            return;
        }
        Session s;
        try {
            s = lock.client().session();
        } catch (IllegalStateException closed) {
            createEnded(null, 0, new ZkLockException(closed.getMessage(), null));
            return;
        } catch (RuntimeException cannotConnect) {               // a new ZooKeeper handle could not be made
            createEnded(null, 0, new ZkLockException("cannot open a session to ZooKeeper at '"
                    + lock.client().connectString() + "' for lock '" + lock.path() + "'", cannotConnect));
            return;
        }
        session = s;
        s.live.add(this);
        if (s.isLost()) {
            sessionLost(s.lossReason());
        }
        create();
    }

    private void create() {
        Session s = session;
        if (s.isLost()) {
            createEnded(null, 0, lostException(s));
            return;
        }
        s.zk.create(lock.path() + "/" + namePrefix, NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL,
                (rc, path, ctx, name, stat) -> {
                    switch (Code.get(rc)) {
                        case OK -> createEnded(name, stat.getCzxid(), null);
                        case NONODE -> createParents(0);
                        case CONNECTIONLOSS -> s.whenConnected(this::findOwnNode);
                        default -> createEnded(null, 0, zkException("create a waiter znode", rc));
                    }
                }, null);
    }

    /** Creates the lock path's missing ancestors, from {@code level} down, as container znodes; then creates. */
    private void createParents(int level) {
        List<String> ancestors = ancestors(lock.path());
        if (level == ancestors.size()) {
            create();
            return;
        }
        Session s = session;
        if (s.isLost()) {
            createEnded(null, 0, lostException(s));
            return;
        }
        s.zk.create(ancestors.get(level), NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER,
                (rc, path, ctx, name, stat) -> {
                    switch (Code.get(rc)) {
                        case OK, NODEEXISTS -> createParents(level + 1);
                        case NONODE -> createParents(0);       // an ancestor container vanished meanwhile
                        case CONNECTIONLOSS -> s.whenConnected(() -> createParents(level));
                        default -> createEnded(null, 0, zkException("create the lock's parent znode", rc));
                    }
                }, null);
    }

    /** After a connection loss during the create: did it happen? Our unique prefix tells. */
    private void findOwnNode() {
        Session s = session;
        if (s.isLost()) {
            createEnded(null, 0, lostException(s));
            return;
        }
        s.zk.getChildren(lock.path(), false, (rc, path, ctx, children) -> {
            Code code = Code.get(rc);
            if (code == Code.CONNECTIONLOSS) {
                s.whenConnected(this::findOwnNode);
                return;
            }
            if (code != Code.OK && code != Code.NONODE) {
                createEnded(null, 0, zkException("list the lock's waiters", rc));
                return;
            }
            String mine = code == Code.OK
                    ? children.stream().filter(c -> c.startsWith(namePrefix)).findFirst().orElse(null)
                    : null;
            if (mine == null) {
                if (state.get() == PENDING) {
                    create();                          // the create did not happen: again
                } else {
                    createEnded(null, 0, null);
                }
                return;
            }
            String full = lock.path() + "/" + mine;
            s.zk.exists(full, false, (rc2, path2, ctx2, stat) -> {
                switch (Code.get(rc2)) {
                    case OK -> createEnded(full, stat.getCzxid(), null);
                    case CONNECTIONLOSS -> s.whenConnected(this::findOwnNode);
                    default -> createEnded(null, 0, zkException("read the waiter znode " + full, rc2));
                }
            }, null);
        }, null);
    }

    /** The create path ends: with our znode, or without one (and maybe a failure). */
    private void createEnded(String createdNode, long zxid, Throwable failure) {
        if (createdNode != null) {
            czxid = zxid;
            node = createdNode;
        }
        createInFlight = false;
        if (failure != null) {
            fail(failure);
        }
        if (state.get() != PENDING) {
            cleanup();
            return;
        }
        check();
    }

    /** Lists the queue: granted if nobody this kind waits for is ahead, else watch that predecessor. */
    private void check() {
        Session s = session;
        if (state.get() != PENDING) {
            return;
        }
        if (s.isLost()) {
            fail(lostException(s));
            return;
        }
        s.zk.getChildren(lock.path(), false, (rc, path, ctx, children) -> {
            if (state.get() != PENDING) {
                return;
            }
            switch (Code.get(rc)) {
                case OK -> {
                    List<String> queue = children.stream()
                            .filter(c -> NodeKind.of(c) != null)
                            .sorted(NodeKind::compareBySequence)
                            .toList();
                    String mine = node.substring(lock.path().length() + 1);
                    int me = queue.indexOf(mine);
                    if (me < 0) {
                        fail(new ZkLockException(s.describe() + ": the waiter znode " + node
                                + " vanished while waiting for lock '" + lock.path() + "'", null));
                        return;
                    }
                    String predecessor = lock.kind().predecessor(queue, me);
                    if (predecessor == null) {
                        grant();
                    } else if (tryOnly) {
                        notFree();
                    } else {
                        watch(s, lock.path() + "/" + predecessor);
                    }
                }
                case CONNECTIONLOSS -> s.whenConnected(this::check);
                case NONODE -> fail(new ZkLockException(s.describe() + ": the lock path '" + lock.path()
                        + "' vanished while waiting", null));
                default -> fail(zkException("list the lock's waiters", rc));
            }
        }, null);
    }

    private void watch(Session s, String predecessor) {
        s.zk.exists(predecessor, event -> {
            if (event.getType() != EventType.None) {
                check();
            }
        }, (rc, path, ctx, stat) -> {
            switch (Code.get(rc)) {
                case OK -> { }                                    // wait for the watch
                case NONODE -> check();                           // already gone
                case CONNECTIONLOSS -> s.whenConnected(this::check);
                default -> fail(zkException("watch the predecessor " + predecessor, rc));
            }
        }, null);
    }

    private void grant() {
        Hold h = new Hold(this);
        hold = h;
        if (!state.compareAndSet(PENDING, GRANTED)) {
            return;
        }
        Session s = session;
        if (s.isLost()) {
            h.markLost(s.lossReason());
        }
        if (parkedCaller) {
            stage.deliver(h);                                     // no dependents: only a parked thread waits
        } else {
            execute(() -> stage.deliver(h));
        }
    }

    private void notFree() {
        if (state.compareAndSet(PENDING, WITHDRAWN)) {
            cleanup();
            stage.deliverFailure(NOT_FREE);
        }
    }

    // ---- the ways out --------------------------------------------------------------------------

    /** The caller gives up (cancel, complete, timeout, interrupt). @return whether it won against the grant */
    boolean withdraw() {
        if (!state.compareAndSet(PENDING, WITHDRAWN)) {
            return false;
        }
        cleanup();
        return true;
    }

    /** The caller obtruded a value on a granted stage: the hold is nobody's, release it. */
    void abandonHold() {
        Hold h = hold;
        if (state.get() == GRANTED && h != null) {
            h.release();
        }
    }

    private boolean fail(Throwable failure) {
        if (!state.compareAndSet(PENDING, FAILED)) {
            return false;
        }
        cleanup();
        if (parkedCaller) {
            stage.deliverFailure(failure);
        } else {
            execute(() -> stage.deliverFailure(failure));
        }
        return true;
    }

    /** The session this acquisition lives on was lost. */
    void sessionLost(Loss reason) {
        if (state.get() == PENDING && fail(lostException(session))) {
            return;
        }
        Hold h = hold;
        if (state.get() == GRANTED && h != null) {
            h.markLost(reason);
        }
    }

    /** Undoes whatever the acquisition got so far; idempotent; called once the state is WITHDRAWN or FAILED. */
    private void cleanup() {
        Guard local = localGuard;
        if (local == null) {
            CompletableFuture<Guard> pending = localStage;
            if (pending != null) {
                pending.cancel(false);                            // if the grant won, onLocal cleans up
            }
            return;
        }
        if (createInFlight) {
            return;                                               // createEnded() calls cleanup() again
        }
        if (node != null) {
            deleteNodeThenReleaseLocal();
        } else {
            releaseLocal();
        }
    }

    /** Deletes the waiter znode (once), then releases the local mutex. Also the release of a hold. */
    void deleteNodeThenReleaseLocal() {
        if (deleteStarted.compareAndSet(false, true)) {
            deleteNode();
        }
    }

    private void deleteNode() {
        Session s = session;
        if (s.isLost()) {
            releaseLocal();                                       // the znode dies with the session
            return;
        }
        s.zk.delete(node, -1, (rc, path, ctx) -> {
            if (Code.get(rc) == Code.CONNECTIONLOSS) {
                s.whenConnected(this::deleteNode);
            } else {
                releaseLocal();                                   // OK, NONODE, or the session is gone
            }
        }, null);
    }

    private void releaseLocal() {
        if (localReleased.compareAndSet(false, true)) {
            Session s = session;
            if (s != null) {
                s.live.remove(this);
            }
            localGuard.release();
            cleaned.complete(null);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    long fencingToken() {
        return czxid;
    }

    String describeNode() {
        return node;
    }

    private void execute(Runnable task) {
        try {
            lock.client().executor().execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private ZkLockException lostException(Session s) {
        Loss reason = s.lossReason();
        String what = switch (reason) {
            case CONNECTION_LOST -> "could not be reached within the session timeout";
            case SESSION_EXPIRED -> "expired the session";
            case CLIENT_CLOSED -> "client was closed";
        };
        return new ZkLockException(s.describe() + " " + what + " while acquiring lock '" + lock.path() + "'", null);
    }

    private ZkLockException zkException(String operation, int rc) {
        return new ZkLockException("ZooKeeper at '" + lock.client().connectString() + "' refused to " + operation
                + " for lock '" + lock.path() + "'", KeeperException.create(Code.get(rc)));
    }

    private static List<String> ancestors(String path) {
        List<String> result = new ArrayList<>();
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            result.add(path.substring(0, i));
        }
        result.add(path);
        return result;
    }
}
