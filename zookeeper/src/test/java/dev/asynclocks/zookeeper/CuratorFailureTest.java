package dev.asynclocks.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The holder-failure checks of {@link HolderFailureTest}, run on Apache Curator's
 * {@code InterProcessMutex} against the same kind of server (its own JVM, tick 100 ms, the same
 * session timeout): {@code kill -9} of the holder JVM, and SIGSTOP of the holder past its session
 * timeout. Curator's outcomes are measured and reported (stdout and
 * {@code target/curator-failures.md}), never asserted; the only assertions are that the test's
 * own steps happened (the holder held, the processes were signalled).
 */
class CuratorFailureTest extends OneServerTest {

    static final Duration SESSION = HolderFailureTest.SESSION;
    static final StringBuilder report = new StringBuilder(
            "| failure check (session timeout " + SESSION.toMillis() + " ms) | Curator 5.9.0 InterProcessMutex |\n|---|---|\n");

    @AfterAll
    static void writeReport() throws Exception {
        System.out.println(report);
        Files.writeString(Path.of("target", "curator-failures.md"), report);
    }

    private ZooKeeperProcesses.ClientJvm curatorHolder(String path) throws Exception {
        ZooKeeperProcesses.ClientJvm jvm = processes.startClient(HolderMain.class,
                server.connectString(), path, Long.toString(SESSION.toMillis()), "curator");
        jvm.awaitLine("READY", Await.LIMIT);
        return jvm;
    }

    private static CuratorFramework curator() throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.newClient(server.connectString(), (int) SESSION.toMillis(),
                (int) SESSION.toMillis(), new RetryOneTime(100));
        c.start();
        assertTrue(c.blockUntilConnected(30, TimeUnit.SECONDS));
        return c;
    }

    /** A waiter on its own platform thread (Curator's holds are bound to the acquiring thread); completes with the grant time. */
    private static CompletableFuture<Long> waitOnOwnThread(CuratorFramework client, String path, CompletableFuture<Void> releaseNow) {
        CompletableFuture<Long> grantedAt = new CompletableFuture<>();
        Thread.ofPlatform().name("curator-waiter").start(() -> {
            InterProcessMutex m = new InterProcessMutex(client, path);
            try {
                if (!m.acquire(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    grantedAt.complete(-1L);
                    return;
                }
                grantedAt.complete(System.nanoTime());
                releaseNow.get(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                m.release();
            } catch (Exception e) {
                grantedAt.completeExceptionally(e);
            }
        });
        return grantedAt;
    }

    @Test
    void curatorKilledHolder() throws Exception {
        String path = "/curator-failure/killed";
        ZooKeeperProcesses.ClientJvm jvm = curatorHolder(path);
        jvm.send("ACQUIRE");
        jvm.awaitLine("HOLDING", Await.LIMIT);
        try (CuratorFramework client = curator()) {
            CompletableFuture<Void> releaseNow = new CompletableFuture<>();
            CompletableFuture<Long> grantedAt = waitOnOwnThread(client, path, releaseNow);
            observer.awaitCount(path, 2);
            long killedAt = System.nanoTime();
            processes.kill(jvm.process());
            long granted = Await.value(grantedAt);
            String outcome;
            if (granted < 0) {
                outcome = "waiter NOT granted within " + Await.LIMIT.toSeconds() + " s";
            } else {
                long ms = Duration.ofNanos(granted - killedAt).toMillis();
                outcome = "next waiter granted " + ms + " ms after the kill (target session timeout + 10%: "
                        + (ms <= SESSION.toMillis() * 11 / 10 ? "met" : "missed") + ")";
            }
            releaseNow.complete(null);
            observer.awaitCount(path, 0);
            report.append("| kill -9 of the holder JVM | ").append(outcome).append(" |\n");
        }
    }

    @Test
    void curatorPausedHolder() throws Exception {
        String path = "/curator-failure/paused";
        ZooKeeperProcesses.ClientJvm jvm = curatorHolder(path);
        jvm.send("ACQUIRE");
        jvm.awaitLine("HOLDING", Await.LIMIT);
        try (CuratorFramework client = curator()) {
            CompletableFuture<Void> releaseNow = new CompletableFuture<>();
            CompletableFuture<Long> grantedAt = waitOnOwnThread(client, path, releaseNow);
            observer.awaitCount(path, 2);
            long stoppedAt = System.nanoTime();
            ZooKeeperProcesses.signal(jvm.process(), "STOP");
            long granted = Await.value(grantedAt);
            String grant = granted < 0 ? "another JVM NOT granted within " + Await.LIMIT.toSeconds() + " s"
                    : "another JVM granted " + Duration.ofNanos(granted - stoppedAt).toMillis() + " ms after SIGSTOP";
            ZooKeeperProcesses.signal(jvm.process(), "CONT");
            String lost;
            try {
                jvm.awaitLine("LOST", Duration.ofSeconds(15));
                lost = "after SIGCONT the paused holder's connection listener was told LOST";
            } catch (AssertionError notWithin) {
                lost = "after SIGCONT the paused holder saw no LOST state within 15 s";
            }
            jvm.send("TOKEN");
            String token = jvm.awaitLine("TOKEN", Await.LIMIT);
            jvm.send("RELEASE");
            String released = jvm.awaitLine("RELEASED", Await.LIMIT);
            releaseNow.complete(null);
            observer.awaitCount(path, 0);
            report.append("| SIGSTOP of the holder past its session timeout | ").append(grant).append("; ").append(lost)
                    .append("; no fencing token (holder answers '").append(token)
                    .append("'), so a fenced resource cannot reject its stale write; its release afterwards: '")
                    .append(released).append("' |\n");
        }
    }
}
