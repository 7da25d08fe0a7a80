package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 3-node ensemble, each server in its own JVM: the leader is killed while one client holds and others wait. */
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
            ZooKeeperProcesses.Server leader = ensemble.awaitLeader();
            processes.kill(leader.process());
            ZooKeeperProcesses.Server next = ensemble.awaitLeader();
            assertTrue(next != leader);
            exit(first, holders);
            for (CompletableFuture<Guard> grant : grants) {
                exit(Await.value(grant), holders);
            }
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
