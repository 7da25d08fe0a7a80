package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures of a holder in its own JVM, against one ZooKeeper server in its own JVM: the holder
 * killed with {@code kill -9}, and the holder paused with SIGSTOP past its session timeout.
 */
class HolderFailureTest extends OneServerTest {

    static final Duration SESSION = Duration.ofSeconds(4);



    private ZooKeeperProcesses.ClientJvm holder(String path) throws Exception {
        ZooKeeperProcesses.ClientJvm jvm = processes.startClient(HolderMain.class,
                server.connectString(), path, Long.toString(SESSION.toMillis()));
        jvm.awaitLine("READY", Await.LIMIT);
        return jvm;
    }

    /** kill -9 the holder's JVM: its znode goes with its session, and the next waiter is granted when the session expires (target: within session timeout + 10%, printed). */
    @Test
    void aKilledHoldersLockGoesToTheNextWaiterWithinTheSessionTimeout() throws Exception {
        String path = "/failure/killed";
        ZooKeeperProcesses.ClientJvm jvm = holder(path);
        jvm.send("ACQUIRE");
        long holderToken = Long.parseLong(jvm.awaitLine("HOLDING", Await.LIMIT).split(" ")[1]);
        try (ZkLockClient zk = ZkLockClient.connect(server.connectString(), SESSION)) {
            CompletionStage<Guard> waiting = zk.mutex(path).acquire();
            observer.awaitCount(path, 2);
            long killedAt = System.nanoTime();
            processes.kill(jvm.process());
            FencedGuard granted = (FencedGuard) Await.value(waiting);
            Duration handOff = Duration.ofNanos(System.nanoTime() - killedAt);
            // The target is session timeout + 10% (issue 14); it is measured and printed here, not
            // asserted, since a test must not depend on the machine's speed. The assertion is the
            // generous bound: the grant comes from the session's expiry, not from anything later.
            boolean withinTarget = handOff.compareTo(SESSION.multipliedBy(11).dividedBy(10)) <= 0;
            System.out.println("granted " + handOff.toMillis() + " ms after kill -9 (session timeout "
                    + SESSION.toMillis() + " ms; target session timeout + 10%: " + (withinTarget ? "met" : "MISSED") + ")");
            assertTrue(handOff.compareTo(SESSION.multipliedBy(2)) <= 0,
                    "granted after " + handOff + ", later than twice the session timeout");
            assertTrue(granted.fencingToken() > holderToken);
            assertEquals(1, observer.count(path), "only the new holder's znode remains");
            granted.release();
            observer.awaitCount(path, 0);
        }
    }

    /**
     * SIGSTOP the holder past its session timeout: another JVM is granted; on SIGCONT the paused
     * holder's loss signal fires and the fenced resource rejects its stale token.
     */
    @Test
    void aPausedHolderLosesTheLockAndItsStaleTokenIsRejected() throws Exception {
        String path = "/failure/paused";
        FencedResource resource = new FencedResource();
        ZooKeeperProcesses.ClientJvm jvm = holder(path);
        jvm.send("ACQUIRE");
        long staleToken = Long.parseLong(jvm.awaitLine("HOLDING", Await.LIMIT).split(" ")[1]);
        assertTrue(resource.write(staleToken), "the holder writes while it holds");
        try (ZkLockClient zk = ZkLockClient.connect(server.connectString(), SESSION)) {
            CompletionStage<Guard> waiting = zk.mutex(path).acquire();
            observer.awaitCount(path, 2);
            ZooKeeperProcesses.signal(jvm.process(), "STOP");
            FencedGuard granted = (FencedGuard) Await.value(waiting);
            assertTrue(resource.write(granted.fencingToken()), "the new holder writes");
            ZooKeeperProcesses.signal(jvm.process(), "CONT");
            String lost = jvm.awaitLine("LOST", Await.LIMIT);
            assertTrue(lost.equals("LOST SESSION_EXPIRED") || lost.equals("LOST CONNECTION_LOST"), lost);
            jvm.send("TOKEN");                                        // the paused holder still thinks it holds
            long token = Long.parseLong(jvm.awaitLine("TOKEN", Await.LIMIT).split(" ")[1]);
            assertEquals(staleToken, token);
            assertFalse(resource.write(token), "the fenced resource rejects the stale token");
            assertEquals(List.of(staleToken, granted.fencingToken()), resource.accepted());
            assertEquals(List.of(staleToken), resource.rejected());
            granted.release();
            observer.awaitCount(path, 0);
        }
        jvm.send("RELEASE");                                          // releasing a lost hold is harmless
        jvm.awaitLine("RELEASED", Await.LIMIT);
        assertEquals(0, observer.count(path));
    }

    /** The session ends with a closed client: waiters fail, holds signal CLIENT_CLOSED, nothing is left. */
    @Test
    void closingTheClientFailsWaitersAndSignalsHolds() {
        String path = "/failure/closed";
        ZkLockClient holder = ZkLockClient.connect(server.connectString(), SESSION);
        ZkLockClient waiter = ZkLockClient.connect(server.connectString(), SESSION);
        try (holder) {
            FencedGuard held = (FencedGuard) Await.value(holder.mutex(path).acquire());
            CompletableFuture<FencedGuard.Loss> lost = held.lost().toCompletableFuture();
            try (waiter) {
                CompletionStage<Guard> waiting = waiter.mutex(path).acquire();
                observer.awaitCount(path, 2);
                waiter.close();
                assertTrue(Await.failure(waiting) instanceof ZkLockException e
                        && e.getMessage().contains(server.connectString()));
            }
            observer.awaitCount(path, 1);
            holder.close();
            assertEquals(FencedGuard.Loss.CLIENT_CLOSED, Await.value(lost));
            observer.awaitCount(path, 0);
        }
    }
}
