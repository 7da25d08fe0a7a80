package dev.asynclocks.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.retry.RetryOneTime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One contending JVM of {@link DistributedBench}: threads looping "lock, note the time, release"
 * on one path, with our locks or Curator's, driven on stdin.
 *
 * <pre>
 * args: ours|curator connectString path outFile [threads readPercent]
 *       threads (default 1) loop in this JVM; readPercent (default: none) switches from the mutex
 *       (ZkLock / InterProcessMutex) to the read-write lock (ZkRwLock / InterProcessReadWriteLock),
 *       each acquisition a read with that probability (seeded per JVM and thread)
 * (prints READY once connected)
 * GO startNanos endNanos -&gt; loops until System.nanoTime() passes endNanos; writes one line
 *                          "grantNanos releaseNanos kind" (kind L, R or W) per hold granted at or
 *                          after startNanos to outFile, then prints DONE &lt;holds&gt;
 * </pre>
 *
 * System.nanoTime() is CLOCK_MONOTONIC on Linux, one clock for every process of the machine, so
 * the driver can merge the workers' times.
 */
public final class BenchWorker {

    private BenchWorker() {
    }

    /** One hold: lock, note the times, release. */
    private interface Locker {
        /** @return the grant time; {@code releaseAt[0]} receives the time the release began */
        long hold(char kind, long[] releaseAt) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");   // before any logger exists
        String impl = args[0];
        String connectString = args[1];
        String path = args[2];
        Path out = Path.of(args[3]);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        int readPercent = args.length > 5 ? Integer.parseInt(args[5]) : -1;
        Duration session = Duration.ofSeconds(10);
        AutoCloseable client;
        Locker locker;
        if (impl.equals("ours")) {
            ZkLockClient zk = ZkLockClient.connect(connectString, session);
            ZkLock mutex = zk.mutex(path);
            ZkRwLock rw = zk.readWriteLock(path);
            (readPercent < 0 ? mutex : rw.writeLock()).lock().release();      // connected, path created
            client = zk;
            locker = (kind, releaseAt) -> {
                FencedGuard g = (kind == 'L' ? mutex : kind == 'R' ? rw.readLock() : rw.writeLock()).lock();
                long granted = System.nanoTime();
                releaseAt[0] = System.nanoTime();
                g.release();
                return granted;
            };
        } else {
            CuratorFramework c = CuratorFrameworkFactory.newClient(connectString, (int) session.toMillis(),
                    (int) session.toMillis(), new RetryOneTime(100));
            c.start();
            if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Curator could not connect to " + connectString);
            }
            InterProcessMutex mutex = new InterProcessMutex(c, path);
            InterProcessReadWriteLock rw = new InterProcessReadWriteLock(c, path);
            InterProcessMutex first = readPercent < 0 ? mutex : rw.writeLock();
            first.acquire();
            first.release();
            client = c;
            locker = (kind, releaseAt) -> {
                InterProcessMutex m = kind == 'L' ? mutex : kind == 'R' ? rw.readLock() : rw.writeLock();
                m.acquire();                                       // thread-bound: released by this thread
                long granted = System.nanoTime();
                releaseAt[0] = System.nanoTime();
                m.release();
                return granted;
            };
        }
        try (client) {
            System.out.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String[] go = in.readLine().split(" ");
            long start = Long.parseLong(go[1]);
            long end = Long.parseLong(go[2]);
            long pid = ProcessHandle.current().pid();
            List<StringBuilder> texts = new ArrayList<>();
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                StringBuilder text = new StringBuilder();
                texts.add(text);
                Random random = new Random(pid * 31 + t);
                running.add(Thread.ofPlatform().name("bench-" + t).start(() -> {
                    long[] releaseAt = new long[1];
                    try {
                        while (System.nanoTime() < end) {
                            char kind = readPercent < 0 ? 'L' : random.nextInt(100) < readPercent ? 'R' : 'W';
                            long granted = locker.hold(kind, releaseAt);
                            if (granted >= start && granted < end) {
                                text.append(granted).append(' ').append(releaseAt[0]).append(' ').append(kind).append('\n');
                            }
                        }
                    } catch (Exception e) {
                        text.append("FAILED ").append(e).append('\n');
                    }
                }));
            }
            for (Thread t : running) {
                t.join();
            }
            StringBuilder all = new StringBuilder();
            texts.forEach(all::append);
            Files.writeString(out, all);
            System.out.println("DONE " + all.chars().filter(ch -> ch == '\n').count());
        }
    }
}
