package dev.asynclocks.zookeeper;

import dev.asynclocks.zookeeper.FencedGuard.Loss;
import org.apache.zookeeper.common.PathUtils;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connection to a ZooKeeper ensemble that hands out distributed locks: {@link #mutex(String)} and
 * {@link #readWriteLock(String)}. One client per JVM and ensemble is the intended use; its locks
 * share its session.
 *
 * {@snippet :
 * try (ZkLockClient zk = ZkLockClient.connect("10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181",
 *                                            Duration.ofSeconds(10))) {
 *     ZkLock orders = zk.mutex("/locks/orders");
 *     try (FencedGuard guard = orders.lock()) {
 *         storage.write("orders", batch, guard.fencingToken());
 *     }
 * }
 * }
 *
 * <p><b>Sessions.</b> The client keeps one ZooKeeper session at a time. It never blocks to connect:
 * {@link #connect} returns at once and acquisitions wait for the connection. When the session is
 * lost (expired, or the ensemble unreachable for longer than the session timeout), acquisitions
 * waiting on it fail with {@link ZkLockException}, holds on it fire {@link FencedGuard#lost()}, and
 * the client opens a new session for later acquisitions.
 *
 * <p><b>Within one JVM.</b> All acquisitions of one lock path made through one client queue in an
 * in-process FIFO first, so the client keeps at most one waiter znode per lock path (plus, briefly,
 * one whose delete is on its way). Consecutive readers of a read-write lock in one client share
 * one read znode and hold the lock together; a writer waiting in the client holds back the readers
 * that came after it, and a reader joins a read hold of its client only if no writer of any client
 * is queued behind that hold.
 *
 * <p><b>Threads.</b> Granted and failed acquisitions are completed on the client's executor (by
 * default a new virtual thread per completion), never on ZooKeeper's event thread, so continuations
 * may block.
 */
public final class ZkLockClient implements AutoCloseable {

    /** Written once in the constructor. */
    private final String connectString;
    /** Written once in the constructor. */
    private final Duration sessionTimeout;
    /** Written once in the constructor; completes acquisitions. */
    private final Executor executor;
    /** The in-process FIFO of each lock path; entries added once, never removed. */
    private final ConcurrentHashMap<String, LocalQueue> localQueues = new ConcurrentHashMap<>();
    /** The current session; replaced (by CAS) when it is lost, unless the client is closed. */
    private final AtomicReference<Session> session = new AtomicReference<>();
    /** Written once by {@link #close()}. */
    private volatile boolean closed;

    private ZkLockClient(String connectString, Duration sessionTimeout, Executor executor) {
        this.connectString = connectString;
        this.sessionTimeout = sessionTimeout;
        this.executor = executor;
        session.set(new Session(this));
    }

    /**
     * Creates a client of the ensemble at {@code connectString}. Returns at once; the session is
     * established in the background, and acquisitions wait for it (and fail with
     * {@link ZkLockException} naming the connect string if it cannot be reached within the session
     * timeout).
     *
     * @param connectString  ZooKeeper's connect string, {@code host:port[,host:port...]}
     * @param sessionTimeout the session timeout to ask for: how long the ensemble keeps this
     *                       client's holds after it stops hearing from it
     * @return a new client; close it to end its session (and with it every hold)
     * @throws IllegalArgumentException if the connect string is malformed or the timeout not positive
     */
    public static ZkLockClient connect(String connectString, Duration sessionTimeout) {
        return connect(connectString, sessionTimeout, r -> Thread.ofVirtual().name("asynclocks-zk-grant").start(r));
    }

    /**
     * As {@link #connect(String, Duration)}, completing acquisitions on {@code executor}.
     *
     * @param connectString  ZooKeeper's connect string, {@code host:port[,host:port...]}
     * @param sessionTimeout the session timeout to ask for
     * @param executor       runs the completion of every acquisition stage (and so its dependents)
     * @return a new client
     * @throws IllegalArgumentException if the connect string is malformed or the timeout not positive
     */
    public static ZkLockClient connect(String connectString, Duration sessionTimeout, Executor executor) {
        Objects.requireNonNull(connectString, "connectString");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(executor, "executor");
        if (sessionTimeout.isNegative() || sessionTimeout.isZero() || sessionTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sessionTimeout must be positive and at most 2^31 ms: " + sessionTimeout);
        }
        return new ZkLockClient(connectString, sessionTimeout, executor);
    }

    /**
     * A distributed mutex at {@code path}: one holder at a time across every client of the ensemble.
     *
     * @param path an absolute znode path, such as {@code /locks/orders}; created (as container
     *             znodes) when first needed
     * @return the lock's handle; cheap, and any number may exist for one path
     * @throws IllegalArgumentException if {@code path} is not a valid znode path other than {@code /}
     */
    public ZkLock mutex(String path) {
        return new ZkLock(this, validate(path), NodeKind.LOCK);
    }

    /**
     * A distributed read-write lock at {@code path}: many readers or one writer, in one FIFO queue
     * across every client; a waiting writer holds back later readers.
     *
     * @param path an absolute znode path, such as {@code /locks/catalog}
     * @return the lock; its views are {@link ZkRwLock#readLock()} and {@link ZkRwLock#writeLock()}
     * @throws IllegalArgumentException if {@code path} is not a valid znode path other than {@code /}
     */
    public ZkRwLock readWriteLock(String path) {
        String valid = validate(path);
        return new ZkRwLock(new ZkLock(this, valid, NodeKind.READ), new ZkLock(this, valid, NodeKind.WRITE));
    }

    /**
     * The ensemble this client talks to.
     *
     * @return the connect string this client was created with
     */
    public String connectString() {
        return connectString;
    }

    /**
     * How long the ensemble keeps this client's session (and holds) after it stops hearing from it.
     *
     * @return the session timeout this client asks for
     */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /**
     * Ends the session: the ensemble deletes this client's waiter znodes at once, waiting
     * acquisitions fail with {@link ZkLockException}, and the loss signal of every hold fires with
     * {@link FencedGuard.Loss#CLIENT_CLOSED}. Waits at most the session timeout for the server.
     */
    @Override
    public void close() {
        closed = true;
        Session current = session.get();
        current.lose(Loss.CLIENT_CLOSED);
        current.closeHandle();
    }

    // ---- for the package ----------------------------------------------------------------------

    Executor executor() {
        return executor;
    }

    LocalQueue localQueue(String path) {
        return localQueues.computeIfAbsent(path, p -> new LocalQueue(this, p));
    }

    /** The current session, never a lost one (a lost one is replaced here); fails if the client is closed. */
    Session session() {
        if (closed) {
            throw new IllegalStateException("the ZkLockClient for '" + connectString + "' is closed");
        }
        Session current = session.get();
        return current.isLost() ? sessionLost(current) : current;
    }

    /**
     * A new session takes the place of {@code lost}, unless the client is closed or another
     * thread replaced it first (then the extra session is discarded at once).
     *
     * @return the current session afterwards
     */
    Session sessionLost(Session lost) {
        Session current = session.get();
        if (closed || current != lost) {
            return current;
        }
        Session next = new Session(this);
        if (session.compareAndSet(lost, next)) {
            return next;
        }
        next.discard();
        return session.get();
    }

    private static String validate(String path) {
        Objects.requireNonNull(path, "path");
        try {
            PathUtils.validatePath(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed lock path '" + path + "': " + e.getMessage(), e);
        }
        if (path.equals("/")) {
            throw new IllegalArgumentException("malformed lock path '/': the root cannot be a lock");
        }
        return path;
    }
}
