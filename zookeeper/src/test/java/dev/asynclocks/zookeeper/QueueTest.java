package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The queue under load, against one ZooKeeper server in its own JVM: thousands of withdrawn
 * acquisitions leave no znode; several client JVMs interleave without overlap and in znode order;
 * fencing tokens survive the deletion of the lock's znode; an unreachable ensemble fails clearly.
 */
class QueueTest extends OneServerTest {

    /** Long enough that a loaded machine never loses a session by accident; no test here waits for an expiry. */
    static final Duration SESSION = Duration.ofSeconds(10);
    /** The seed of the randomized test; override with {@code -Dasynclocks.seed=N}. */
    static final long SEED = Long.getLong("asynclocks.seed", 20_261_202L);



    /**
     * 10,000 acquisitions (mutex, read, write on one path) cancelled or timed out at random moments
     * leave zero znodes under the lock path.
     */
    @Test
    void tenThousandWithdrawnAcquisitionsLeaveNoZnode() throws Exception {
        String path = "/queue/withdrawn";
        int clients = 4;
        int perClient = 2_500;
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger withdrawn = new AtomicInteger();
        System.out.println("QueueTest.tenThousandWithdrawnAcquisitionsLeaveNoZnode: seed " + SEED
                + " (rerun with -Dasynclocks.seed=" + SEED + ")");
        try (ZkLockClient holderClient = ZkLockClient.connect(server.connectString(), SESSION)) {
            FencedGuard holder = (FencedGuard) Await.value(holderClient.mutex(path).acquire());
            List<ZkLockClient> opened = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                ZkLockClient zk = ZkLockClient.connect(server.connectString(), SESSION);
                opened.add(zk);
                long seed = SEED + c;
                threads.add(Thread.ofVirtual().start(() -> {
                    Random random = new Random(seed);
                    // a mutex and both views of a read-write lock on the same path: readers of one
                    // client share a read znode, so withdrawals also hit shared znodes
                    ZkRwLock rw = zk.readWriteLock(path);
                    ZkLock[] locks = {zk.mutex(path), rw.readLock(), rw.readLock(), rw.writeLock()};
                    List<CompletableFuture<Guard>> window = new ArrayList<>();
                    for (int i = 0; i < perClient; i++) {
                        ZkLock lock = locks[random.nextInt(locks.length)];
                        CompletableFuture<Guard> stage;
                        if (random.nextBoolean()) {
                            stage = lock.acquire(Duration.ofNanos(1 + random.nextInt(3_000_000))).toCompletableFuture();
                        } else {
                            stage = lock.acquire().toCompletableFuture();
                            LockSupport.parkNanos(random.nextInt(1_000_000));   // a random moment, not a synchronization
                            stage.cancel(false);
                        }
                        window.add(stage);
                        if (window.size() == 8) {                               // a few in flight at once
                            window.forEach(s -> settle(s, granted, withdrawn));
                            window.clear();
                        }
                    }
                    window.forEach(s -> settle(s, granted, withdrawn));
                }));
            }
            for (Thread t : threads) {
                t.join(Duration.ofMinutes(2));
                assertTrue(!t.isAlive(), "a client thread hung (seed " + SEED + ")");
            }
            assertEquals(clients * perClient, withdrawn.get(),
                    "the holder never released: every acquisition is withdrawn (seed " + SEED + ")");
            assertEquals(0, granted.get(), "seed " + SEED);
            observer.awaitCount(path, 1);                                       // only the holder's (seed in the log above)
            holder.release();
            observer.awaitCount(path, 0);
            for (ZkLockClient zk : opened) {                                    // every client can still lock
                Guard g = Await.value(zk.mutex(path).acquire(Duration.ofSeconds(20)));
                g.release();
                zk.close();
            }
            observer.awaitCount(path, 0);
        }
    }

    private static void settle(CompletableFuture<Guard> stage, AtomicInteger granted, AtomicInteger withdrawn) {
        try {
            Await.value(stage).release();
            granted.incrementAndGet();
        } catch (AssertionError e) {
            if (e.getCause() instanceof TimeoutException) {
                withdrawn.incrementAndGet();
            } else {
                throw e;
            }
        } catch (CancellationException e) {
            withdrawn.incrementAndGet();
        }
    }

    /**
     * Three client JVMs x 200 interleaved acquisitions: no overlap, and grants in znode order. Each
     * holder appends "enter token" and "exit token" to one log under the lock; the log must read
     * enter/exit pairs with strictly increasing tokens (czxid order is znode creation order).
     */
    @Test
    void threeClientJvmsInterleaveWithoutOverlapInZnodeOrder() throws Exception {
        String path = "/queue/interleaved";
        Path log = Files.createTempFile("asynclocks-zk-fenced-", ".log");
        try {
            List<ZooKeeperProcesses.ClientJvm> jvms = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ZooKeeperProcesses.ClientJvm jvm = processes.startClient(HolderMain.class,
                        server.connectString(), path, Long.toString(SESSION.toMillis()));
                jvm.awaitLine("READY", Await.LIMIT);
                jvms.add(jvm);
            }
            for (ZooKeeperProcesses.ClientJvm jvm : jvms) {
                jvm.send("LOOP 200 " + log);
            }
            for (ZooKeeperProcesses.ClientJvm jvm : jvms) {
                jvm.awaitLine("LOOPED", Duration.ofMinutes(2));
            }
            List<String> lines = Files.readAllLines(log);
            assertEquals(3 * 200 * 2, lines.size());
            long last = 0;
            int[] holdsPerPid = new int[1];
            java.util.Map<String, Integer> perPid = new java.util.HashMap<>();
            for (int i = 0; i < lines.size(); i += 2) {
                String[] enter = lines.get(i).split(" ");
                String[] exit = lines.get(i + 1).split(" ");
                if (!enter[0].equals("enter") || !exit[0].equals("exit") || !enter[1].equals(exit[1]) || !enter[2].equals(exit[2])) {
                    fail("overlapping holds at line " + (i + 1) + ": " + lines.get(i) + " / " + lines.get(i + 1));
                }
                long token = Long.parseLong(enter[1]);
                assertTrue(token > last, "grant out of znode order at line " + (i + 1) + ": " + token + " after " + last);
                last = token;
                perPid.merge(enter[2], 1, Integer::sum);
                holdsPerPid[0]++;
            }
            assertEquals(3, perPid.size());
            perPid.values().forEach(n -> assertEquals(200, n));
            observer.awaitCount(path, 0);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The token is the znode's czxid: it keeps increasing when the lock's znode is deleted and created again. */
    @Test
    void tokensKeepIncreasingAcrossARecreatedLockZnode() throws Exception {
        String path = "/queue/recreated/lock";
        try (ZkLockClient zk = ZkLockClient.connect(server.connectString(), SESSION)) {
            long last = 0;
            for (int round = 0; round < 3; round++) {
                FencedGuard guard = zk.mutex(path).lock();
                String node = observer.waiters(path).getFirst();
                assertTrue(node.endsWith("0000000000"), "the sequence restarts with the parent: " + node);
                assertTrue(guard.fencingToken() > last, "token " + guard.fencingToken() + " after " + last);
                last = guard.fencingToken();
                guard.release();
                observer.awaitCount(path, 0);
                observer.zk.delete(path, -1);                                   // the parent goes away
            }
        }
    }

    /** An ensemble nobody listens at: the stage fails naming the connect string; a timeout fails as a timeout. */
    @Test
    void anUnreachableEnsembleFailsNamingTheConnectString() throws Exception {
        String nowhere = "127.0.0.1:" + ZooKeeperProcesses.freePort();
        try (ZkLockClient zk = ZkLockClient.connect(nowhere, Duration.ofSeconds(1))) {
            ZkLock lock = zk.mutex("/queue/unreachable");
            try {
                lock.lock(Duration.ofMillis(200));
                fail("granted without a server");
            } catch (TimeoutException expected) {
                // the shorter bound wins
            }
            Throwable failure = Await.failure(lock.acquire());
            assertTrue(failure instanceof ZkLockException && failure.getMessage().contains(nowhere), failure.toString());
            Throwable again = Await.failure(lock.acquire());                    // nothing was left queued in-process
            assertTrue(again instanceof ZkLockException, again.toString());
        }
    }
}
