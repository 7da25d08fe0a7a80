package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Exchanger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Side by side with Apache Curator's {@code InterProcessMutex} and {@code InterProcessReadWriteLock},
 * on the same server in the same run: ownership bound to the acquiring thread, znodes left after
 * interrupted and timed-out acquisitions, sequence numbers restarting with a recreated parent,
 * readers in one JVM, a waiting writer holding back a later reader, and a latency smoke test
 * (uncontended and hand-off between two sessions; the proper two-JVM benchmark is
 * {@code DistributedBench}). Facts about our lock are asserted; Curator's and all timings are
 * measured and reported (stdout and {@code target/curator-comparison.md}), never asserted.
 */
class CuratorComparisonTest extends OneServerTest {

    /** Long enough that a loaded machine never loses a session by accident; no test here waits for an expiry. */
    static final Duration SESSION = Duration.ofSeconds(10);
    static final int ROUNDS = 300;
    static final StringBuilder report = new StringBuilder("| check | asynclocks-zookeeper | Curator 5.9.0 InterProcessMutex / InterProcessReadWriteLock |\n|---|---|---|\n");

    static final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : closeAfter.reversed()) {
            c.close();
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "curator-comparison.md"), report);
    }

    static ZkLockClient ours() {
        ZkLockClient c = ZkLockClient.connect(server.connectString(), SESSION);
        closeAfter.add(c);
        return c;
    }

    static CuratorFramework curator() throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.newClient(server.connectString(), (int) SESSION.toMillis(),
                (int) SESSION.toMillis(), new RetryOneTime(100));
        c.start();
        assertTrue(c.blockUntilConnected(30, TimeUnit.SECONDS));
        closeAfter.add(c);
        return c;
    }

    @Test
    void ownershipBoundToTheAcquiringThread() throws Exception {
        FencedGuard guard = ours().mutex("/cmp/owner/ours").lock();
        Thread other = Thread.ofVirtual().start(guard::release);
        other.join();
        observer.awaitCount("/cmp/owner/ours", 0);

        InterProcessMutex mutex = new InterProcessMutex(curator(), "/cmp/owner/curator");
        mutex.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread releaser = Thread.ofVirtual().start(() -> {
            try {
                mutex.release();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        releaser.join();
        String curatorResult = thrown.get() == null ? "released" : thrown.get().getClass().getSimpleName();
        mutex.release();
        report.append("| release from another thread | released (guards are not thread-bound) | ").append(curatorResult).append(" |\n");
    }

    @Test
    void znodesLeftAfterInterruptedAndTimedOutAcquisitions() throws Exception {
        Random random = new Random(11);
        // ours
        String oursPath = "/cmp/leaks/ours";
        ZkLockClient holderClient = ours();
        FencedGuard held = holderClient.mutex(oursPath).lock();
        ZkLockClient waiterClient = ours();
        for (int i = 0; i < 100; i++) {
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    waiterClient.mutex(oursPath).lock().release();
                } catch (InterruptedException expected) {
                    // withdrawn
                }
            });
            LockSupport.parkNanos(random.nextInt(3_000_000));     // a random moment, not a synchronization
            t.interrupt();
            t.join();
            assertInstanceOf(java.util.concurrent.TimeoutException.class, Await.failure(
                    waiterClient.mutex(oursPath).acquire(Duration.ofNanos(1 + random.nextInt(3_000_000)))));
        }
        observer.awaitCount(oursPath, 1);
        int oursLeft = observer.count(oursPath) - 1;
        held.release();

        // Curator: the same moments
        String curatorPath = "/cmp/leaks/curator";
        InterProcessMutex holder = new InterProcessMutex(curator(), curatorPath);
        holder.acquire();
        CuratorFramework waiter = curator();
        for (int i = 0; i < 100; i++) {
            Thread t = Thread.ofPlatform().start(() -> {
                InterProcessMutex m = new InterProcessMutex(waiter, curatorPath);
                try {
                    m.acquire();
                    m.release();
                } catch (Exception expected) {
                    // interrupted
                }
            });
            LockSupport.parkNanos(random.nextInt(3_000_000));
            t.interrupt();
            t.join();
            InterProcessMutex m = new InterProcessMutex(waiter, curatorPath);
            if (m.acquire(1 + random.nextInt(3_000_000), TimeUnit.NANOSECONDS)) {
                m.release();
            }
        }
        int curatorLeft = settledCount(curatorPath) - 1;           // let in-flight deletes land
        holder.release();
        assertEquals(0, oursLeft);
        report.append("| znodes left after 100 interrupted + 100 timed-out acquisitions | ").append(oursLeft)
                .append(" | ").append(curatorLeft).append(" |\n");
    }

    @Test
    void readLockReleasedFromAnotherThread() throws Exception {
        FencedGuard guard = ours().readWriteLock("/cmp/rw-owner/ours").readLock().lock();
        Thread other = Thread.ofVirtual().start(guard::release);
        other.join();
        observer.awaitCount("/cmp/rw-owner/ours", 0);

        InterProcessMutex read = new InterProcessReadWriteLock(curator(), "/cmp/rw-owner/curator").readLock();
        read.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread releaser = Thread.ofVirtual().start(() -> {
            try {
                read.release();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        releaser.join();
        String curatorResult = thrown.get() == null ? "released" : thrown.get().getClass().getSimpleName();
        read.release();
        report.append("| read lock released from another thread | released | ").append(curatorResult).append(" |\n");
    }

    /** Two readers in one JVM (one client / one CuratorFramework), each on its own thread: do they hold at once, on how many znodes? */
    @Test
    void twoReadersInOneJvm() throws Exception {
        String oursPath = "/cmp/rw-readers/ours";
        ZkRwLock rw = ours().readWriteLock(oursPath);
        FencedGuard r1 = rw.readLock().lock();
        FencedGuard r2 = Await.value(CompletableFuture.supplyAsync(() -> {
            try {
                return rw.readLock().lock();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread));
        int oursNodes = observer.count(oursPath);
        assertEquals(1, oursNodes);
        r1.release();
        r2.release();
        observer.awaitCount(oursPath, 0);

        String curatorPath = "/cmp/rw-readers/curator";
        InterProcessReadWriteLock curatorRw = new InterProcessReadWriteLock(curator(), curatorPath);
        curatorRw.readLock().acquire();
        CompletableFuture<Void> releaseSecond = new CompletableFuture<>();
        CompletableFuture<Boolean> second = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                second.complete(curatorRw.readLock().acquire(0, TimeUnit.MILLISECONDS));   // no waiting: held at once?
                releaseSecond.get(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                if (second.join()) {
                    curatorRw.readLock().release();
                }
            } catch (Exception e) {
                second.completeExceptionally(e);
            }
        });
        boolean curatorShared = Await.value(second);
        int curatorNodes = observer.count(curatorPath);
        releaseSecond.complete(null);
        t.join();
        curatorRw.readLock().release();
        observer.awaitCount(curatorPath, 0);
        report.append("| two readers in one JVM (two threads) | hold at once, on ").append(oursNodes)
                .append(" read znode | ").append(curatorShared ? "hold at once" : "second NOT granted at once")
                .append(", on ").append(curatorNodes).append(" read znodes |\n");
    }

    /** A reader (third client) asks while a reader holds and a writer waits: granted at once, or held back? */
    @Test
    void aWaitingWriterHoldsBackALaterReader() throws Exception {
        String oursPath = "/cmp/rw-writer/ours";
        Guard r1 = ours().readWriteLock(oursPath).readLock().lock();
        CompletableFuture<Guard> w = ours().readWriteLock(oursPath).writeLock().acquire().toCompletableFuture();
        observer.awaitCount(oursPath, 2);
        boolean oursLaterReaderGranted = ours().readWriteLock(oursPath).readLock().tryAcquire().map(g -> {
            g.release();
            return true;
        }).orElse(false);
        assertFalse(oursLaterReaderGranted);
        r1.release();
        Await.value(w).release();
        observer.awaitCount(oursPath, 0);

        String curatorPath = "/cmp/rw-writer/curator";
        InterProcessMutex read1 = new InterProcessReadWriteLock(curator(), curatorPath).readLock();
        read1.acquire();
        CuratorFramework writerClient = curator();
        CompletableFuture<Void> writerDone = new CompletableFuture<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                InterProcessMutex write = new InterProcessReadWriteLock(writerClient, curatorPath).writeLock();
                if (write.acquire(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    write.release();
                }
                writerDone.complete(null);
            } catch (Exception e) {
                writerDone.completeExceptionally(e);
            }
        });
        observer.awaitCount(curatorPath, 2);
        InterProcessMutex read3 = new InterProcessReadWriteLock(curator(), curatorPath).readLock();
        boolean curatorLaterReaderGranted = read3.acquire(0, TimeUnit.MILLISECONDS);
        if (curatorLaterReaderGranted) {
            read3.release();
        }
        read1.release();
        Await.value(writerDone);
        writer.join();
        observer.awaitCount(curatorPath, 0);
        report.append("| later reader while a reader holds and a writer waits | held back | ")
                .append(curatorLaterReaderGranted ? "granted (overtakes the writer)" : "held back").append(" |\n");
    }

    @Test
    void readZnodesLeftAfterInterruptedAndTimedOutAcquisitions() throws Exception {
        Random random = new Random(13);
        String oursPath = "/cmp/rw-leaks/ours";
        Guard writer = ours().readWriteLock(oursPath).writeLock().lock();
        ZkLock oursRead = ours().readWriteLock(oursPath).readLock();
        for (int i = 0; i < 50; i++) {
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    oursRead.lock().release();
                } catch (InterruptedException expected) {
                    // withdrawn
                }
            });
            LockSupport.parkNanos(random.nextInt(3_000_000));     // a random moment, not a synchronization
            t.interrupt();
            t.join();
            assertInstanceOf(java.util.concurrent.TimeoutException.class,
                    Await.failure(oursRead.acquire(Duration.ofNanos(1 + random.nextInt(3_000_000)))));
        }
        observer.awaitCount(oursPath, 1);
        int oursLeft = observer.count(oursPath) - 1;
        writer.release();

        String curatorPath = "/cmp/rw-leaks/curator";
        InterProcessMutex curatorWriter = new InterProcessReadWriteLock(curator(), curatorPath).writeLock();
        curatorWriter.acquire();
        CuratorFramework readers = curator();
        for (int i = 0; i < 50; i++) {
            Thread t = Thread.ofPlatform().start(() -> {
                InterProcessMutex m = new InterProcessReadWriteLock(readers, curatorPath).readLock();
                try {
                    m.acquire();
                    m.release();
                } catch (Exception expected) {
                    // interrupted
                }
            });
            LockSupport.parkNanos(random.nextInt(3_000_000));
            t.interrupt();
            t.join();
            InterProcessMutex m = new InterProcessReadWriteLock(readers, curatorPath).readLock();
            if (m.acquire(1 + random.nextInt(3_000_000), TimeUnit.NANOSECONDS)) {
                m.release();
            }
        }
        int curatorLeft = settledCount(curatorPath) - 1;
        curatorWriter.release();
        assertEquals(0, oursLeft);
        report.append("| read znodes left after 50 interrupted + 50 timed-out read acquisitions | ").append(oursLeft)
                .append(" | ").append(curatorLeft).append(" |\n");
    }

    /** Waits until the znode count under {@code path} stops changing (bounded): Curator's deletes may be in flight. */
    private static int settledCount(String path) {
        int[] last = {-1};
        Await.until("the znode count under " + path + " settles", () -> {
            int now = observer.count(path);
            boolean same = now == last[0];
            last[0] = now;
            LockSupport.parkNanos(200_000_000);                    // sample interval of the settle check
            return same;
        });
        return observer.count(path);
    }

    @Test
    void sequenceNumbersRestartWithARecreatedParent() throws Exception {
        String oursPath = "/cmp/restart/ours";
        ZkLockClient zk = ours();
        List<Long> tokens = new ArrayList<>();
        List<String> oursNames = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            FencedGuard g = zk.mutex(oursPath).lock();
            tokens.add(g.fencingToken());
            oursNames.add(observer.waiters(oursPath).getFirst());
            g.release();
            observer.awaitCount(oursPath, 0);
            observer.zk.delete(oursPath, -1);
        }
        assertTrue(tokens.get(1) > tokens.get(0));

        String curatorPath = "/cmp/restart/curator";
        CuratorFramework c = curator();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            InterProcessMutex m = new InterProcessMutex(c, curatorPath);
            m.acquire();
            names.add(observer.waiters(curatorPath).getFirst());
            m.release();
            observer.awaitCount(curatorPath, 0);
            observer.zk.delete(curatorPath, -1);
        }
        report.append("| after the lock znode is recreated | token ").append(tokens.get(0)).append(" then ")
                .append(tokens.get(1)).append(" (never reused; sequence restarts: ").append(suffix(oursNames.get(0)))
                .append(", ").append(suffix(oursNames.get(1))).append(") | no token; node sequence ")
                .append(suffix(names.get(0))).append(" then ").append(suffix(names.get(1))).append(" |\n");
    }

    @Test
    void latency() throws Exception {
        // uncontended acquire + release
        ZkLock oursLock = ours().mutex("/cmp/latency/ours-uncontended");
        // One sample = from one acquire to the next in a loop of acquire + release. Our release is
        // asynchronous: it sends the delete and the next acquire's create follows it on the same
        // session without awaiting its answer; Curator's loop waits for each of its round trips.
        InterProcessMutex curatorLock = new InterProcessMutex(curator(), "/cmp/latency/curator-uncontended");
        for (int i = 0; i < ROUNDS; i++) {                            // warm-up (JIT, connections), both
            oursLock.lock().release();
            curatorLock.acquire();
            curatorLock.release();
        }
        long[] ours = new long[ROUNDS];
        long t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            oursLock.lock().release();
            long t1 = System.nanoTime();
            ours[i] = t1 - t0;
            t0 = t1;
        }
        long[] cur = new long[ROUNDS];
        t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            curatorLock.acquire();
            curatorLock.release();
            long t1 = System.nanoTime();
            cur[i] = t1 - t0;
            t0 = t1;
        }
        report.append("| uncontended acquire+release cycle p50 / p99 (ms) | ").append(percentiles(ours))
                .append(" | ").append(percentiles(cur)).append(" |\n");

        // hand-off between two sessions: A holds, B waits; time from A's release to B's grant
        long[] oursHandOff = handOffOurs();
        long[] curatorHandOff = handOffCurator();
        report.append("| hand-off between two sessions p50 / p99 (ms) | ").append(percentiles(oursHandOff))
                .append(" | ").append(percentiles(curatorHandOff)).append(" |\n");
    }

    private long[] handOffOurs() throws Exception {
        String path = "/cmp/latency/ours-handoff";
        ZkLock a = ours().mutex(path);
        ZkLock b = ours().mutex(path);
        long[] samples = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            FencedGuard held = a.lock();
            CompletableFuture<Long> grantedAt = b.acquire().toCompletableFuture().thenApply(g -> {
                long now = System.nanoTime();
                g.release();
                return now;
            });
            observer.awaitCount(path, 2);
            long releasedAt = System.nanoTime();
            held.release();
            samples[i] = Await.value(grantedAt) - releasedAt;
            observer.awaitCount(path, 0);
        }
        return samples;
    }

    private long[] handOffCurator() throws Exception {
        String path = "/cmp/latency/curator-handoff";
        InterProcessMutex a = new InterProcessMutex(curator(), path);
        CuratorFramework bClient = curator();
        long[] samples = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            a.acquire();
            CompletableFuture<Long> grantedAt = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    InterProcessMutex b = new InterProcessMutex(bClient, path);
                    b.acquire();
                    long now = System.nanoTime();
                    b.release();
                    grantedAt.complete(now);
                } catch (Exception e) {
                    grantedAt.completeExceptionally(e);
                }
            });
            observer.awaitCount(path, 2);
            long releasedAt = System.nanoTime();
            a.release();
            samples[i] = Await.value(grantedAt) - releasedAt;
            t.join();
            observer.awaitCount(path, 0);
        }
        return samples;
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = sorted[sorted.length / 2] / 1e6;
        double p99 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        return String.format("%.2f / %.2f", p50, p99);
    }

    private static String suffix(String name) {
        return name.substring(name.length() - 10);
    }
}
