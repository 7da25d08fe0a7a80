package dev.asynclocks.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client JVM for the failure tests, driven line by line on stdin; it answers on stdout.
 *
 * <pre>
 * args: connectString path sessionTimeoutMillis [curator]
 *       with "curator", the lock is Apache Curator's InterProcessMutex (for the side-by-side
 *       failure checks; ACQUIRE and LOOP only): TOKEN answers "TOKEN none" (Curator has no fencing
 *       token), LOST is printed when Curator reports the connection state LOST
 * ACQUIRE            -> HOLDING &lt;token&gt;   (and later, if the hold is lost: LOST &lt;reason&gt;)
 * TOKEN              -> TOKEN &lt;token&gt;     (the token of the current hold, for a write to the fenced resource)
 * RELEASE            -> RELEASED
 * LOOP n logfile     -> n acquisitions; under each hold appends "enter token pid" and "exit token pid"
 *                       to logfile (O_APPEND); then LOOPED
 * </pre>
 */
public final class HolderMain {

    private HolderMain() {
    }

    public static void main(String[] args) throws Exception {
        String connectString = args[0];
        String path = args[1];
        Duration session = Duration.ofMillis(Long.parseLong(args[2]));
        long pid = ProcessHandle.current().pid();
        if (args.length > 3 && args[3].equals("curator")) {
            curator(connectString, path, session, pid);
            return;
        }
        try (ZkLockClient zk = ZkLockClient.connect(connectString, session)) {
            ZkLock lock = zk.mutex(path);
            FencedGuard held = null;
            System.out.println("READY " + pid);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.trim().split(" ");
                switch (words[0]) {
                    case "ACQUIRE" -> {
                        held = lock.lock();
                        held.lost().thenAccept(reason -> System.out.println("LOST " + reason));
                        System.out.println("HOLDING " + held.fencingToken());
                    }
                    case "TOKEN" -> System.out.println("TOKEN " + held.fencingToken());
                    case "RELEASE" -> {
                        held.release();
                        System.out.println("RELEASED");
                    }
                    case "LOOP" -> {
                        int n = Integer.parseInt(words[1]);
                        Path log = Path.of(words[2]);
                        for (int i = 0; i < n; i++) {
                            try (FencedGuard guard = lock.lock()) {
                                append(log, "enter " + guard.fencingToken() + " " + pid);
                                append(log, "exit " + guard.fencingToken() + " " + pid);
                            }
                        }
                        System.out.println("LOOPED");
                    }
                    default -> System.out.println("UNKNOWN " + line);
                }
            }
        }
    }

    /** The same protocol on Curator's InterProcessMutex (its holds are bound to this, the main, thread). */
    private static void curator(String connectString, String path, Duration session, long pid) throws Exception {
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(connectString, (int) session.toMillis(),
                (int) session.toMillis(), new RetryOneTime(100))) {
            client.getConnectionStateListenable().addListener((c, state) -> {
                if (state == ConnectionState.LOST) {
                    System.out.println("LOST " + state);
                }
            });
            client.start();
            if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
                System.out.println("UNCONNECTED");
                return;
            }
            InterProcessMutex lock = new InterProcessMutex(client, path);
            System.out.println("READY " + pid);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.trim().split(" ");
                switch (words[0]) {
                    case "ACQUIRE" -> {
                        lock.acquire();
                        System.out.println("HOLDING none");
                    }
                    case "TOKEN" -> System.out.println("TOKEN none");
                    case "RELEASE" -> {
                        try {
                            lock.release();
                            System.out.println("RELEASED");
                        } catch (Exception e) {
                            System.out.println("RELEASED " + e.getClass().getSimpleName());
                        }
                    }
                    default -> System.out.println("UNKNOWN " + line);
                }
            }
        }
    }

    private static void append(Path log, String line) throws java.io.IOException {
        Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    }
}
