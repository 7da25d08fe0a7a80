package dev.asynclocks.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryOneTime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One contending JVM of {@link DistributedBench}: a loop of "lock, note the time, release" on one
 * path, with our {@link ZkLock} or Curator's {@code InterProcessMutex}, driven on stdin.
 *
 * <pre>
 * args: ours|curator connectString path outFile
 * (prints READY once connected)
 * GO startNanos endNanos -&gt; loops until System.nanoTime() passes endNanos; writes one line
 *                          "grantNanos releaseNanos" per hold granted at or after startNanos to
 *                          outFile, then prints DONE &lt;holds&gt;
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
        long lockAndRelease(long[] releaseAt) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");   // before any logger exists
        String impl = args[0];
        String connectString = args[1];
        String path = args[2];
        Path out = Path.of(args[3]);
        Duration session = Duration.ofSeconds(10);
        AutoCloseable client;
        Locker locker;
        if (impl.equals("ours")) {
            ZkLockClient zk = ZkLockClient.connect(connectString, session);
            ZkLock lock = zk.mutex(path);
            lock.lock().release();                                  // connected, path created
            client = zk;
            locker = releaseAt -> {
                FencedGuard g = lock.lock();
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
            InterProcessMutex lock = new InterProcessMutex(c, path);
            lock.acquire();
            lock.release();
            client = c;
            locker = releaseAt -> {
                lock.acquire();
                long granted = System.nanoTime();
                releaseAt[0] = System.nanoTime();
                lock.release();
                return granted;
            };
        }
        try (client) {
            System.out.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String[] go = in.readLine().split(" ");
            long start = Long.parseLong(go[1]);
            long end = Long.parseLong(go[2]);
            long[] grants = new long[1 << 16];
            long[] releases = new long[1 << 16];
            long[] releaseAt = new long[1];
            int n = 0;
            while (System.nanoTime() < end) {
                long granted = locker.lockAndRelease(releaseAt);
                if (granted >= start && granted < end && n < grants.length) {
                    grants[n] = granted;
                    releases[n] = releaseAt[0];
                    n++;
                }
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < n; i++) {
                text.append(grants[i]).append(' ').append(releases[i]).append('\n');
            }
            Files.writeString(out, text);
            System.out.println("DONE " + n);
        }
    }
}
