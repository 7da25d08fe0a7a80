package dev.asynclocks.zookeeper;

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

/**
 * One waiter znode of a client, from its create to its delete, and the acquisitions that share it
 * (one writer or mutex; one or more readers): the lock recipe.
 *
 * <pre>
 * Implementation overview
 *
 * 1. Create the waiter znode, EPHEMERAL_SEQUENTIAL, named _c_&lt;uuid&gt;-&lt;kind&gt;-&lt;seq&gt;. The
 *    uuid is this node's own: if the create fails with a connection loss, after the reconnect the
 *    children are listed and a child with the prefix is ours (the create happened); none means it
 *    did not, and it is retried. A missing parent is created (container znodes).
 * 2. List the children, sort by sequence, find the predecessor this kind waits for
 *    ({@link NodeKind#predecessor}); none: granted. Otherwise watch only that predecessor
 *    ({@code exists} with a watch; no herd effect) and list again when it is deleted, or, if it
 *    was the only znode this one waits for, take the grant without listing (znodes created
 *    later have larger sequence numbers: nothing can queue ahead again). The first
 *    listing is sent right behind the create, without awaiting it (one session's requests are
 *    answered in order), so an uncontended acquisition costs one round trip.
 * 3. When its last member leaves, the {@link LocalQueue} sends the delete.
 *
 *   CREATING --created--&gt; WAITING --nothing ahead--&gt; GRANTED --last member leaves--&gt; ended, deleted
 *      |                     |
 *      +---------------------+-- session lost / ZooKeeper error --&gt; failed (pending members fail)
 *      +---------------------+-- last pending member withdraws --&gt; ended, deleted
 *
 * The flags (createInFlight, granted, failed, ended, joinRefused), the znode name, its czxid and
 * the members are written by the LocalQueue under its mutex. The recipe's callbacks run on the
 * session's event thread; they read the flags without the mutex only to stop early, and the
 * queue decides again under the mutex.
 * </pre>
 */
final class WaiterNode {

    private static final byte[] NO_DATA = new byte[0];

    /** Written once in the constructor. */
    private final LocalQueue queue;
    /** Written once in the constructor. */
    final NodeKind kind;
    /** Written once in the constructor: list once and give up instead of waiting. */
    final boolean tryOnly;
    /** Written once in the constructor: the unique name prefix of this znode. */
    private final String namePrefix;
    /** Completed once: the znode is deleted, or known not to exist, or gone with its session. */
    final CompletableFuture<Void> deleted = new CompletableFuture<>();

    /** The acquisitions on this znode, in call order; guarded by the queue's mutex. */
    final List<Acquisition> members = new ArrayList<>();
    /** Written once by {@link #start()}, before the first create; read by anyone after. */
    volatile Session session;
    /** True until the create path ends; written under the queue's mutex. */
    volatile boolean createInFlight = true;
    /** Full path of the znode, once created; written once under the queue's mutex. */
    volatile String node;
    /** The znode's czxid, the fencing token; written before {@link #node}. */
    volatile long czxid;
    /** Written once under the queue's mutex: the members may hold the lock. */
    volatile boolean granted;
    /** Written once under the queue's mutex: the recipe stopped (pending members failed). */
    volatile boolean failed;
    /** Written once under the queue's mutex: no members left; the znode is (to be) deleted. */
    volatile boolean ended;
    /** Written under the queue's mutex: an exclusive znode is queued behind this one, readers may not join. */
    boolean joinRefused;

    WaiterNode(LocalQueue queue, NodeKind kind, boolean tryOnly) {
        this.queue = queue;
        this.kind = kind;
        this.tryOnly = tryOnly;
        this.namePrefix = kind.namePrefix(UUID.randomUUID().toString());
    }

    /** Readers may join: a READ node that is alive (and, for a try's node, granted). Under the queue's mutex. */
    boolean joinable() {
        Session s = session;
        return kind == NodeKind.READ && !ended && !failed && (!tryOnly || granted) && s != null && !s.isLost();
    }

    private boolean stopped() {
        return ended || failed || granted;
    }

    // ---- the recipe ----------------------------------------------------------------------------

    /** Opens (or reuses) the client's session and creates the znode. Called once, outside the mutex. */
    void start() {
        Session s;
        try {
            s = queue.client.session();
        } catch (IllegalStateException closed) {
            queue.createEnded(this, null, 0, new ZkLockException(closed.getMessage(), null));
            return;
        } catch (RuntimeException cannotConnect) {               // a new ZooKeeper handle could not be made
            queue.createEnded(this, null, 0, new ZkLockException("cannot open a session to ZooKeeper at '"
                    + queue.client.connectString() + "' for lock '" + queue.path + "'", cannotConnect));
            return;
        }
        session = s;
        s.live.add(this);
        create();
    }

    private void create() {
        Session s = session;
        if (s.isLost()) {
            queue.createEnded(this, null, 0, lostException(s));
            return;
        }
        if (ended) {
            queue.createEnded(this, null, 0, null);              // withdrawn before the create was sent
            return;
        }
        s.zk.create(queue.path + "/" + namePrefix, NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL,
                (rc, path, ctx, name, stat) -> {
                    switch (Code.get(rc)) {
                        case OK -> queue.createEnded(this, name, stat.getCzxid(), null, true);
                        case NONODE -> createParents(0);
                        case CONNECTIONLOSS -> s.whenConnected(this::findOwnNode);
                        default -> queue.createEnded(this, null, 0, zkException("create a waiter znode", rc));
                    }
                }, null);
        // The first listing goes out right behind the create, without waiting for its answer: the
        // server answers one session's requests in order, so the listing includes the new znode,
        // and its answer arrives after the create's (whose callback has recorded the name by then).
        // If the create failed, the listing is ignored and the create's own path goes on.
        s.zk.getChildren(queue.path, false, (rc, path, ctx, children) -> {
            if (node != null && !stopped()) {
                evaluate(s, rc, children);
            }
        }, null);
    }

    /** Creates the lock path's missing ancestors, from {@code level} down, as container znodes; then creates. */
    private void createParents(int level) {
        List<String> ancestors = ancestors(queue.path);
        if (level == ancestors.size()) {
            create();
            return;
        }
        Session s = session;
        if (s.isLost()) {
            queue.createEnded(this, null, 0, lostException(s));
            return;
        }
        s.zk.create(ancestors.get(level), NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER,
                (rc, path, ctx, name, stat) -> {
                    switch (Code.get(rc)) {
                        case OK, NODEEXISTS -> createParents(level + 1);
                        case NONODE -> createParents(0);       // an ancestor container vanished meanwhile
                        case CONNECTIONLOSS -> s.whenConnected(() -> createParents(level));
                        default -> queue.createEnded(this, null, 0, zkException("create the lock's parent znode", rc));
                    }
                }, null);
    }

    /** After a connection loss during the create: did it happen? Our unique prefix tells. */
    private void findOwnNode() {
        Session s = session;
        if (s.isLost()) {
            queue.createEnded(this, null, 0, lostException(s));
            return;
        }
        s.zk.getChildren(queue.path, false, (rc, path, ctx, children) -> {
            Code code = Code.get(rc);
            if (code == Code.CONNECTIONLOSS) {
                s.whenConnected(this::findOwnNode);
                return;
            }
            if (code != Code.OK && code != Code.NONODE) {
                queue.createEnded(this, null, 0, zkException("list the lock's waiters", rc));
                return;
            }
            String mine = code == Code.OK
                    ? children.stream().filter(c -> c.startsWith(namePrefix)).findFirst().orElse(null)
                    : null;
            if (mine == null) {
                create();                                         // it did not happen: again (or not, if ended)
                return;
            }
            String full = queue.path + "/" + mine;
            s.zk.exists(full, false, (rc2, path2, ctx2, stat) -> {
                switch (Code.get(rc2)) {
                    case OK -> queue.createEnded(this, full, stat.getCzxid(), null);
                    case CONNECTIONLOSS -> s.whenConnected(this::findOwnNode);
                    default -> queue.createEnded(this, null, 0, zkException("read the waiter znode " + full, rc2));
                }
            }, null);
        }, null);
    }

    /** Lists the queue: granted if nobody this kind waits for is ahead, else watch that predecessor. */
    void check() {
        if (stopped()) {
            return;
        }
        Session s = session;
        if (s.isLost()) {
            queue.failed(this, lostException(s));
            return;
        }
        s.zk.getChildren(queue.path, false, (rc, path, ctx, children) -> evaluate(s, rc, children), null);
    }

    /** A listing of the queue came back: granted, not free (a try), or watch the predecessor. */
    private void evaluate(Session s, int rc, List<String> children) {
        if (stopped()) {
            return;
        }
        switch (Code.get(rc)) {
            case OK -> {
                List<String> waiters = sorted(children);
                int me = waiters.indexOf(name());
                if (me < 0) {
                    queue.failed(this, new ZkLockException(s.describe() + ": the waiter znode " + node
                            + " vanished while waiting for lock '" + queue.path + "'", null));
                    return;
                }
                String predecessor = kind.predecessor(waiters, me);
                if (predecessor == null) {
                    queue.granted(this);
                } else if (tryOnly) {
                    queue.notFree(this);
                } else {
                    watch(s, queue.path + "/" + predecessor, kind.onlyBlocker(waiters, predecessor));
                }
            }
            case CONNECTIONLOSS -> s.whenConnected(this::check);
            case NONODE -> queue.failed(this, new ZkLockException(s.describe() + ": the lock path '"
                    + queue.path + "' vanished while waiting", null));
            default -> queue.failed(this, zkException("list the lock's waiters", rc));
        }
    }

    /**
     * Watches {@code predecessor}. When it is deleted: if it was the only znode this one waits for
     * ({@code only}), granted at once (no znode can queue ahead again); otherwise list again.
     */
    private void watch(Session s, String predecessor, boolean only) {
        s.zk.exists(predecessor, event -> {
            if (event.getType() == EventType.NodeDeleted && only) {
                queue.granted(this);
            } else if (event.getType() != EventType.None) {
                check();
            }
        }, (rc, path, ctx, stat) -> {
            switch (Code.get(rc)) {
                case OK -> { }                                    // wait for the watch
                case NONODE -> {                                  // already gone
                    if (only) {
                        queue.granted(this);
                    } else {
                        check();
                    }
                }
                case CONNECTIONLOSS -> s.whenConnected(this::check);
                default -> queue.failed(this, zkException("watch the predecessor " + predecessor, rc));
            }
        }, null);
    }

    /**
     * Readers ask to share this READ znode: allowed if the queue, listed now, has no exclusive znode
     * behind it (a znode created now would be granted together with this one).
     */
    void checkJoin(List<Acquisition> candidates, boolean forTry) {
        Session s = session;
        if (s == null || s.isLost()) {
            queue.joinChecked(this, candidates, false, forTry);
            return;
        }
        s.zk.getChildren(queue.path, false, (rc, path, ctx, children) -> {
            boolean ok = false;
            if (Code.get(rc) == Code.OK) {
                List<String> waiters = sorted(children);
                int me = waiters.indexOf(name());
                ok = me >= 0;
                for (int i = me + 1; ok && i < waiters.size(); i++) {
                    NodeKind other = NodeKind.of(waiters.get(i));
                    ok = other == null || !other.exclusive;
                }
            }
            queue.joinChecked(this, candidates, ok, forTry);
        }, null);
    }

    /** Deletes the znode; completes {@link #deleted}. Called once, by the queue, after the create ended. */
    void delete() {
        Session s = session;
        if (s.isLost()) {
            deleted.complete(null);                               // the znode dies with the session
            return;
        }
        s.zk.delete(node, -1, (rc, path, ctx) -> {
            if (Code.get(rc) == Code.CONNECTIONLOSS) {
                s.whenConnected(this::delete);
            } else {
                deleted.complete(null);                           // OK, NONODE, or the session is gone
            }
        }, null);
    }

    /** The session this node lives on was lost. */
    void sessionLost(Loss reason) {
        queue.sessionLost(this, reason, lostException(session));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String name() {
        return node.substring(queue.path.length() + 1);
    }

    private static List<String> sorted(List<String> children) {
        return children.stream().filter(c -> NodeKind.of(c) != null).sorted(NodeKind::compareBySequence).toList();
    }

    private ZkLockException lostException(Session s) {
        Loss reason = s.lossReason();
        String what = switch (reason) {
            case CONNECTION_LOST -> "could not be reached within the session timeout";
            case SESSION_EXPIRED -> "expired the session";
            case CLIENT_CLOSED -> "client was closed";
            case null -> "lost the session";
        };
        return new ZkLockException(s.describe() + " " + what + " while acquiring lock '" + queue.path + "'", null);
    }

    private ZkLockException zkException(String operation, int rc) {
        return new ZkLockException("ZooKeeper at '" + queue.client.connectString() + "' refused to " + operation
                + " for lock '" + queue.path + "'", KeeperException.create(Code.get(rc)));
    }

    private static List<String> ancestors(String path) {
        List<String> result = new ArrayList<>();
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            result.add(path.substring(0, i));
        }
        result.add(path);
        return result;
    }

    @Override
    public String toString() {
        return node != null ? node : queue.path + "/" + namePrefix + "(not created)";
    }
}
