package dev.asynclocks.zookeeper;

import java.time.Duration;

/**
 * A worker process of {@link FencingDemo}: takes the shared lock, makes three writes to the shared
 * resource under it (printed as {@code WRITE <token> <step>}; the demo's main process is the
 * resource and applies them), releases, and again, until its stdin closes.
 *
 * <p>args: connectString lockPath sessionTimeoutMillis
 */
public final class DemoWorker {

    private DemoWorker() {
    }

    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().daemon().start(() -> {               // the demo closes stdin to stop us
            try {
                while (System.in.read() >= 0) {
                    // ignore input
                }
            } catch (java.io.IOException ignored) {
                // stdin gone
            }
            System.exit(0);
        });
        try (ZkLockClient zk = ZkLockClient.connect(args[0], Duration.ofMillis(Long.parseLong(args[2])))) {
            ZkLock lock = zk.mutex(args[1]);
            System.out.println("READY");
            while (true) {
                try (FencedGuard guard = lock.lock()) {
                    long token = guard.fencingToken();
                    guard.lost().thenAccept(reason -> System.out.println("LOST " + token + " " + reason));
                    System.out.println("GRANTED " + token);
                    for (int step = 1; step <= 3; step++) {
                        Thread.sleep(150);                       // the work between writes
                        System.out.println("WRITE " + token + " " + step);
                    }
                    System.out.println("RELEASED " + token);
                } catch (ZkLockException e) {
                    System.out.println("FAILED " + e.getMessage());
                    e.printStackTrace();
                    Thread.sleep(500);                           // back off before trying again
                }
            }
        }
    }
}
