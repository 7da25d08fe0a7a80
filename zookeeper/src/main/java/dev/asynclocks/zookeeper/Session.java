package dev.asynclocks.zookeeper;

import dev.asynclocks.zookeeper.FencedGuard.Loss;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;

import java.io.IOException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One ZooKeeper session of a {@link ZkLockClient}: the handle, whether it is connected, the
 * acquisitions that live on it, and the moment it is given up.
 *
 * <p>A session is given up (lost) once, for one of three reasons: the server expired it, the client
 * could not reach the ensemble for longer than the session timeout (counted from the disconnect, or
 * from the start for a session that never connected), or the client was closed. Losing it fails
 * every acquisition still waiting on it, fires the loss signal of every hold on it, and makes the
 * client open a new session for later acquisitions.
 *
 * <pre>
 * Implementation overview
 *
 *   CONNECTING --SyncConnected--> CONNECTED --Disconnected--> DISCONNECTED --SyncConnected--> CONNECTED
 *       |                                                         |
 *       +--- no SyncConnected within the session timeout ---------+--> LOST (once; reason recorded)
 *       Expired (any state) or client close ---------------------------^
 * </pre>
 *
 * Operations that fail with a connection loss are retried by {@link #whenConnected}: the action is
 * queued and run on the next SyncConnected, or when the session is lost (each action checks
 * {@link #isLost()} first and takes its failure path).
 */
final class Session {

    /** Written once in the constructor. */
    final ZooKeeper zk;
    /** Written once in the constructor. */
    private final ZkLockClient client;
    /** Set once, by the first {@link #lose}. */
    private final AtomicBoolean losing = new AtomicBoolean();
    /** Completed once, by {@link #lose}, after the client installed the next session; read by anyone. */
    private final CompletableFuture<Loss> lost = new CompletableFuture<>();
    /** Written by the ZooKeeper event thread (connection events); read by anyone. */
    private volatile boolean connected;
    /** Counts disconnects; incremented by the event thread, read by the loss timer. */
    private final AtomicLong disconnects = new AtomicLong();
    /** Actions waiting for the connection; added by anyone, drained by whoever sees it connected. */
    private final Queue<Runnable> onConnected = new ConcurrentLinkedQueue<>();
    /** Waiter znodes living on this session; added when their create starts, removed when they end. */
    final Set<WaiterNode> live = ConcurrentHashMap.newKeySet();

    Session(ZkLockClient client) {
        this.client = client;
        startLossTimer(0);
        try {
            this.zk = new ZooKeeper(client.connectString(), (int) client.sessionTimeout().toMillis(), this::process);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot create a ZooKeeper client for connect string '"
                    + client.connectString() + "': " + e.getMessage(), e);
        }
    }

    private void process(WatchedEvent event) {
        KeeperState state = event.getState();
        switch (state) {
            case SyncConnected, ConnectedReadOnly -> {
                connected = true;
                drain();
            }
            case Disconnected -> {
                connected = false;
                startLossTimer(disconnects.incrementAndGet());
            }
            case Expired -> lose(Loss.SESSION_EXPIRED);
            default -> {
                // Closed (we closed it), AuthFailed, SaslAuthenticated: nothing to do here.
            }
        }
    }

    private void startLossTimer(long generation) {
        long millis = client.sessionTimeout().toMillis();
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(() -> {
            if (!connected && disconnects.get() == generation) {
                lose(Loss.CONNECTION_LOST);
            }
        });
    }

    /** Runs {@code action} once the session is connected, or lost; at once if it is connected now. */
    void whenConnected(Runnable action) {
        onConnected.add(action);
        if (connected || isLost()) {
            drain();
        }
    }

    private void drain() {
        for (Runnable action; (action = onConnected.poll()) != null; ) {
            action.run();
        }
    }

    boolean isLost() {
        return lost.isDone();
    }

    /** The reason this session was lost; only meaningful once {@link #isLost()}. */
    Loss lossReason() {
        return lost.getNow(null);
    }

    /** Gives the session up, once: fails its waiters, fires its holds' loss signals, closes the handle. */
    void lose(Loss reason) {
        if (!losing.compareAndSet(false, true)) {
            return;
        }
        // The replacement is installed before this session reads as lost: an acquisition that
        // finds this session lost can count on finding the next one in the client.
        try {
            client.sessionLost(this);
        } catch (RuntimeException e) {
            // No new handle now (the client retries when the next acquisition asks for a session);
            // this session is lost all the same.
        }
        lost.complete(reason);
        for (WaiterNode node : live) {
            node.sessionLost(reason);
        }
        drain();
        if (reason != Loss.CLIENT_CLOSED) {
            // Closing waits for the server's answer: never on the event thread.
            Thread.ofVirtual().name("asynclocks-zk-close").start(this::closeHandle);
        }
    }

    /** Ends a session that was never used (it lost the race to replace a lost one). */
    void discard() {
        lose(Loss.CLIENT_CLOSED);
        Thread.ofVirtual().name("asynclocks-zk-close").start(this::closeHandle);
    }

    void closeHandle() {
        try {
            zk.close((int) client.sessionTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String describe() {
        return "ZooKeeper at '" + client.connectString() + "' (session timeout " + client.sessionTimeout() + ")";
    }
}
