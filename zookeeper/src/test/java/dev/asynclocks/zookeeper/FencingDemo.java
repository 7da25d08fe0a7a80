package dev.asynclocks.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fencing demo: a 3-node ZooKeeper ensemble (each server its own JVM, nothing installed),
 * three worker JVMs sharing one lock and one fenced resource (this process). Midway it kills the
 * holder with {@code kill -9}, and later pauses a holder with SIGSTOP past its session timeout
 * (like a long GC pause); it prints the hand-offs, the fencing tokens, and the stale write that
 * the resource rejects.
 *
 * <p>Run: {@code ./mvnw -q -B -pl zookeeper -am verify -DskipTests -Pdemo}
 */
public final class FencingDemo {

    static final Duration SESSION = Duration.ofSeconds(5);
    static final String LOCK = "/demo/lock";

    private record Event(int worker, String[] words) {
    }

    private final ZooKeeperProcesses processes = new ZooKeeperProcesses();
    private final List<ZooKeeperProcesses.ClientJvm> workers = new ArrayList<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final FencedResource resource = new FencedResource();
    private final long start = System.nanoTime();

    public static void main(String[] args) throws Exception {
        FencingDemo demo = new FencingDemo();
        try {
            demo.run();
        } finally {
            demo.processes.stopAll();
        }
    }

    private void run() throws Exception {
        say("starting a 3-node ZooKeeper ensemble on 127.0.0.1, each server in its own JVM ...");
        ZooKeeperProcesses.Ensemble ensemble = processes.startEnsemble(3);
        say("ensemble up: " + ensemble.connectString() + "; session timeout " + SESSION.toMillis() + " ms");
        for (int i = 0; i < 3; i++) {
            ZooKeeperProcesses.ClientJvm jvm = processes.startClient(DemoWorker.class,
                    ensemble.connectString(), LOCK, Long.toString(SESSION.toMillis()));
            workers.add(jvm);
            int worker = i + 1;
            Thread.ofVirtual().start(() -> forward(worker, jvm));
        }
        say("3 workers started (pids " + workers.stream().map(w -> Long.toString(w.pid())).toList()
                + "); each takes the lock, writes 3 times with its token, releases");

        awaitGrants(4);

        Event holder = awaitNext("GRANTED");
        awaitNext("WRITE", holder.worker());
        say(">>> kill -9 worker-" + holder.worker() + ", the holder (token " + holder.words()[1] + "), midway through its writes");
        long killedAt = System.nanoTime();
        processes.kill(workers.get(holder.worker() - 1).process());
        Event next = awaitNext("GRANTED");
        say(">>> hand-off to worker-" + next.worker() + " " + (System.nanoTime() - killedAt) / 1_000_000
                + " ms after the kill (session timeout " + SESSION.toMillis() + " ms): its znode went with its session");

        Event paused = awaitNext("GRANTED");
        awaitNext("WRITE", paused.worker());
        say(">>> SIGSTOP worker-" + paused.worker() + ", the holder (token " + paused.words()[1]
                + "): a pause longer than the session timeout, like a long GC pause");
        ZooKeeperProcesses.signal(workers.get(paused.worker() - 1).process(), "STOP");
        Event successor = awaitNext("GRANTED");
        say(">>> the ensemble expired worker-" + paused.worker() + "'s session; worker-" + successor.worker()
                + " holds the lock now (token " + successor.words()[1] + ")");
        awaitNext("WRITE", successor.worker());
        say(">>> SIGCONT worker-" + paused.worker() + ": it still believes it holds the lock and writes with token "
                + paused.words()[1]);
        ZooKeeperProcesses.signal(workers.get(paused.worker() - 1).process(), "CONT");
        awaitNext("RELEASED", paused.worker());

        awaitGrants(3);
        say("done. accepted writes carried tokens " + resource.accepted().stream().distinct().toList());
        say("rejected (stale) writes: tokens " + resource.rejected()
                + " (the paused worker learns of its expired session only when it talks to the ensemble again;"
                + " by then its stale writes had reached the resource, and the token check stopped them)");
        for (ZooKeeperProcesses.ClientJvm w : workers) {
            w.process().getOutputStream().close();
        }
    }

    /** Reads a worker's lines; a WRITE goes to the fenced resource here. */
    private void forward(int worker, ZooKeeperProcesses.ClientJvm jvm) {
        try {
            while (true) {
                String line = jvm.lines().poll(1, TimeUnit.MINUTES);
                if (line == null) {
                    return;
                }
                String[] words = line.split(" ");
                switch (words[0]) {
                    case "GRANTED" -> say("worker-" + worker + " granted the lock, fencing token " + words[1]);
                    case "WRITE" -> {
                        long token = Long.parseLong(words[1]);
                        boolean ok = resource.write(token);
                        say("worker-" + worker + " write " + words[2] + "/3 with token " + token
                                + (ok ? ": accepted" : ": REJECTED by the resource, a newer token was already seen"));
                    }
                    case "RELEASED" -> say("worker-" + worker + " released (token " + words[1] + ")");
                    case "LOST" -> say("worker-" + worker + "'s loss signal fired for token " + words[1] + ": " + words[2]);
                    default -> say("worker-" + worker + ": " + line);
                }
                events.add(new Event(worker, words));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitGrants(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            awaitNext("GRANTED");
        }
    }

    private Event awaitNext(String kind) throws InterruptedException {
        return awaitNext(kind, 0);
    }

    /** The next event of {@code kind} (from {@code worker}, or any if 0); earlier events are skipped. */
    private Event awaitNext(String kind, int worker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new IllegalStateException("no " + kind + (worker == 0 ? "" : " from worker-" + worker) + " within a minute");
            }
            if (e.words()[0].equals(kind) && (worker == 0 || e.worker() == worker)) {
                return e;
            }
        }
    }

    private void say(String line) {
        System.out.printf("[%6.2f s] %s%n", (System.nanoTime() - start) / 1e9, line);
    }
}
