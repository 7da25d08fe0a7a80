package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 3-node ensemble, each server in its own JVM: the leader is killed while one client holds and
 * others wait. Apache Curator's {@code InterProcessMutex} goes through the same kill on another
 * path; its outcome is reported (stdout, {@code target/curator-ensemble.md}), not asserted.
 */
class EnsembleFailureTest {

    /**
     * Longer than elsewhere: while the ensemble elects a new leader it serves no client, and on a
     * loaded 2-core machine an election has taken more than 4 s; a session timeout shorter than the
     * election makes the clients (rightly) give their sessions up, which is not what this test is about.
     */
    static final Duration SESSION = Duration.ofSeconds(10);

    @RegisterExtension
    static final ZooKeeperProcesses processes = new ZooKeeperProcesses();

    static ZooKeeperProcesses.Ensemble ensemble;

    @BeforeAll
    static void start() throws Exception {
        ensemble = processes.startEnsemble(3);
    }

    /**
     * kill -9 the leader while one client holds and two wait: no double grant (each hold ends with
     * its release or its loss signal before the next begins), and the queue goes on in order once a
     * new leader is elected.
     */
    @Test
    void killingTheLeaderNeitherDoubleGrantsNorStopsTheQueue() throws Exception {
        String path = "/ensemble/leader-killed";
        List<ZkLockClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(ZkLockClient.connect(ensemble.connectString(), SESSION));
        }
        try {
            AtomicInteger holders = new AtomicInteger();
            AtomicInteger maxHolders = new AtomicInteger();
            ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
            FencedResource resource = new FencedResource();
            List<CompletableFuture<Guard>> grants = new ArrayList<>();
            FencedGuard first = clients.get(0).mutex(path).lock();
            enter(first, 0, holders, maxHolders, order, resource);
            try (Observer observer = new Observer(ensemble.connectString())) {
                for (int i = 1; i < 3; i++) {
                    int n = i;
                    grants.add(clients.get(i).mutex(path).acquire().toCompletableFuture()
                            .thenApply(g -> enter((FencedGuard) g, n, holders, maxHolders, order, resource)));
                    observer.awaitCount(path, i + 1);
                }
            }
            // Curator's InterProcessMutex goes through the same leader kill, on another path
            CuratorSide curator = new CuratorSide(ensemble.connectString(), "/ensemble/leader-killed-curator");
            ZooKeeperProcesses.Server leader = ensemble.awaitLeader();
            processes.kill(leader.process());
            ZooKeeperProcesses.Server next = ensemble.awaitLeader();
            assertTrue(next != leader);
            exit(first, holders);
            for (CompletableFuture<Guard> grant : grants) {
                exit(Await.value(grant), holders);
            }
            String curatorOutcome = curator.finish();
            String report = "| kill -9 of the leader while one holds and two wait | " + curatorOutcome + " |\n";
            System.out.println("Curator 5.9.0 InterProcessMutex, leader kill: " + curatorOutcome);
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "curator-ensemble.md"), report);
            assertEquals(1, maxHolders.get(), "two holders at once");
            assertEquals(List.of(0, 1, 2), List.copyOf(order));
            assertTrue(resource.rejected().isEmpty(), "a stale token was presented: " + resource.rejected());
            try (Observer observer = new Observer(ensemble.connectString())) {
                observer.awaitCount(path, 0);
            }
        } finally {
            clients.forEach(ZkLockClient::close);
        }
    }

    /**
     * Three Curator clients on the ensemble, each participant on its own platform thread (Curator's
     * holds are bound to the acquiring thread): the first holds, two wait. {@link #finish()}
     * releases them one by one and reports what happened; nothing about Curator is asserted.
     */
    private static final class CuratorSide {
        private final List<CuratorFramework> clients = new ArrayList<>();
        private final List<CompletableFuture<Void>> release = new ArrayList<>();
        private final List<CompletableFuture<String>> entered = new ArrayList<>();
        private final AtomicInteger holders = new AtomicInteger();
        private final AtomicInteger maxHolders = new AtomicInteger();
        private final ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        private final String path;
        private final String connectString;

        CuratorSide(String connectString, String path) throws Exception {
            this.connectString = connectString;
            this.path = path;
            try (Observer observer = new Observer(connectString)) {
                for (int i = 0; i < 3; i++) {
                    CuratorFramework c = CuratorFrameworkFactory.newClient(connectString, (int) SESSION.toMillis(),
                            (int) SESSION.toMillis(), new ExponentialBackoffRetry(100, 10));
                    c.start();
                    assertTrue(c.blockUntilConnected(30, TimeUnit.SECONDS));
                    clients.add(c);
                    release.add(new CompletableFuture<>());
                    entered.add(new CompletableFuture<>());
                    int who = i;
                    Thread.ofPlatform().name("curator-participant-" + i).start(() -> participate(who));
                    if (i == 0) {
                        Await.value(entered.getFirst());
                    } else {
                        observer.awaitCount(path, i + 1);
                    }
                }
            }
        }

        private void participate(int who) {
            InterProcessMutex mutex = new InterProcessMutex(clients.get(who), path);
            try {
                if (!mutex.acquire(60, TimeUnit.SECONDS)) {
                    entered.get(who).complete("not granted within 60 s");
                    return;
                }
                int now = holders.incrementAndGet();
                maxHolders.accumulateAndGet(now, Math::max);
                order.add(who);
                entered.get(who).complete("granted");
                release.get(who).get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
                holders.decrementAndGet();
                mutex.release();
            } catch (Exception e) {
                entered.get(who).complete(e.getClass().getSimpleName());
            }
        }

        /** Releases the holders in turn; closes the clients; returns the outcome. */
        String finish() throws Exception {
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                outcomes.add(Await.value(entered.get(i)));
                release.get(i).complete(null);
            }
            int left;
            try (Observer observer = new Observer(connectString)) {
                Await.until("Curator's participants leave", () -> observer.count(path) == 0 || order.size() < 3);
                left = observer.count(path);
            }
            clients.forEach(CuratorFramework::close);
            return "participants: " + outcomes + "; grant order " + List.copyOf(order) + "; at most "
                    + maxHolders.get() + " holder(s) at once; " + left + " znode(s) left";
        }
    }

    private static Guard enter(FencedGuard guard, int who, AtomicInteger holders, AtomicInteger max,
                               ConcurrentLinkedQueue<Integer> order, FencedResource resource) {
        int now = holders.incrementAndGet();
        max.accumulateAndGet(now, Math::max);
        guard.lost().thenRun(holders::decrementAndGet);          // a lost hold no longer counts
        order.add(who);
        resource.write(guard.fencingToken());
        return guard;
    }

    private static void exit(Guard guard, AtomicInteger holders) {
        if (!((FencedGuard) guard).lost().toCompletableFuture().isDone()) {
            holders.decrementAndGet();
        }
        guard.release();
    }
}
