package dev.asynclocks.examples.router;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The proxy-router demo: two downstreams on 127.0.0.1, a {@link ProxyRouter} in front of them, and
 * a bounded load of requests while a route moves back and forth between the downstreams. Prints
 * requests/s and p50/p99 latency for each {@link LockStyle}; or, with {@code --router-only},
 * serves the router until killed. See {@link DemoOptions#USAGE} for the flags.
 *
 * {@snippet lang=shell :
 * ./mvnw -q -B -pl examples -am verify -DskipTests -Pdemo
 * ./mvnw -q -B -pl examples -am verify -DskipTests -Pdemo -Ddemo.args="--router-only --port 8080"
 * }
 */
public final class RouterDemo {

    /** The service every demo request asks for; its route is what the admin endpoint moves. */
    static final String SERVICE = "api";
    static final Duration MIN_LATENCY = Duration.ofMillis(2);
    static final Duration MAX_LATENCY = Duration.ofMillis(5);
    /** Each style's load is split into this many rounds, the styles taking turns. */
    static final int ROUNDS = 4;

    /** What {@code --router-only} does once the router serves: by default, wait until killed. */
    @FunctionalInterface
    interface Serving {
        /**
         * @param router      the serving router
         * @param downstreams the downstreams behind it
         * @throws InterruptedException if interrupted; the demo then stops the servers
         */
        void serve(ProxyRouter router, List<Downstream> downstreams) throws InterruptedException;
    }

    /**
     * Runs the demo and exits with its status: 0 done, 1 a port was taken or a request failed,
     * 2 bad arguments.
     *
     * @param args see {@link DemoOptions#USAGE}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, (router, downstreams) -> new CountDownLatch(1).await()));
    }

    /**
     * Runs the demo.
     *
     * @param args    the command line
     * @param out     where the table (or the router's address) goes
     * @param err     where errors go
     * @param serving what to do while {@code --router-only} serves
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err, Serving serving) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(DemoOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(DemoOptions.USAGE);
            return 0;
        }
        try (Downstream a = Downstream.start("a", MIN_LATENCY, MAX_LATENCY);
             Downstream b = Downstream.start("b", MIN_LATENCY, MAX_LATENCY)) {
            List<Downstream> downstreams = List.of(a, b);
            return options.routerOnly()
                    ? serve(options, downstreams, out, serving)
                    : measure(options, downstreams, out, err);
        } catch (PortInUseException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return 1;
        }
    }

    private static int serve(DemoOptions options, List<Downstream> downstreams, PrintStream out, Serving serving)
            throws InterruptedException {
        Downstream a = downstreams.get(0);
        Downstream b = downstreams.get(1);
        LockStyle style = options.styles().getFirst();
        try (ProxyRouter router = ProxyRouter.start(options.port(), style, Map.of(SERVICE, a.uri()))) {
            URI uri = router.uri();
            out.printf("router %s listening on %s%n", style.label(), uri);
            out.printf("  downstream a: %s   downstream b: %s   (each answers in %d-%d ms)%n",
                    a.uri(), b.uri(), MIN_LATENCY.toMillis(), MAX_LATENCY.toMillis());
            out.println("try:");
            out.printf("  curl %s/%s/items/1%n", uri, SERVICE);
            out.printf("  curl %s/admin/routes%n", uri);
            out.printf("  curl -X PUT --data %s %s/admin/routes/%s%n", b.uri(), uri, SERVICE);
            out.printf("  curl %s/admin/lock%n", uri);
            out.printf("  curl %s/metrics%n", uri);
            out.println("serving until killed (Ctrl-C)");
            out.flush();
            serving.serve(router, downstreams);
        }
        return 0;
    }

    private static int measure(DemoOptions options, List<Downstream> downstreams, PrintStream out, PrintStream err)
            throws InterruptedException {
        List<URI> targets = downstreams.stream().map(Downstream::uri).toList();
        out.printf(Locale.ROOT, "proxy-router demo: 2 downstreams answering in %d-%d ms, %s%n",
                MIN_LATENCY.toMillis(), MAX_LATENCY.toMillis(), options.updateEvery().isZero() ? "no route updates"
                        : "a route update every " + options.updateEvery().toMillis() + " ms");
        out.printf(Locale.ROOT, "%,d requests per style, %d in flight, the styles taking turns in %d rounds%n",
                options.requests(), options.concurrency(), ROUNDS);

        Map<LockStyle, List<LoadResult>> runs = new EnumMap<>(LockStyle.class);
        Map<LockStyle, WaitHistogram> lockWaits = new EnumMap<>(LockStyle.class);
        try (ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(2)).executor(clientThreads).build()) {
            // Warm the JIT up on every style's code, unreported: the first style measured would
            // otherwise pay for compiling the HTTP client and server.
            LoadGenerator warmUp = new LoadGenerator(client, SERVICE, targets, Math.min(options.requests(), 1000),
                    options.concurrency(), options.updateEvery(), Duration.ofSeconds(2));
            for (LockStyle style : options.styles()) {
                runOne("warming up " + style.label(), style, warmUp, options, targets, out, new WaitHistogram());
            }
            // Styles take turns, a round at a time, so that a slow spell of the machine (another
            // process, a GC, the JIT) falls on every style instead of on one.
            int requestsPerRound = Math.ceilDiv(options.requests(), ROUNDS);
            LoadGenerator round = new LoadGenerator(client, SERVICE, targets, requestsPerRound,
                    options.concurrency(), options.updateEvery(), options.timeLimit().dividedBy(ROUNDS));
            for (int r = 1; r <= ROUNDS; r++) {
                for (LockStyle style : options.styles()) {
                    String label = String.format(Locale.ROOT, "round %d/%d %s", r, ROUNDS, style.label());
                    runs.computeIfAbsent(style, s -> new ArrayList<>()).add(runOne(label, style, round,
                            options, targets, out, lockWaits.computeIfAbsent(style, s -> new WaitHistogram())));
                }
            }
        }
        List<Row> rows = options.styles().stream()
                .map(style -> new Row(style, LoadResult.sum(runs.get(style)), lockWaits.get(style))).toList();
        printTable(rows, out);
        int failed = rows.stream().mapToInt(row -> row.result().failed()).sum();
        if (failed > 0) {
            err.printf("error: %d requests failed; first: %s%n", failed,
                    rows.stream().map(row -> row.result().firstFailure()).filter(f -> f != null).findFirst().orElse("?"));
            return 1;
        }
        return 0;
    }

    /** Runs one load against a fresh router; adds the router's lock waits to {@code lockWaits}. */
    private static LoadResult runOne(String label, LockStyle style, LoadGenerator load, DemoOptions options,
                                     List<URI> targets, PrintStream out, WaitHistogram lockWaits)
            throws InterruptedException {
        try (ProxyRouter router = ProxyRouter.start(options.port(), style, Map.of(SERVICE, targets.getFirst()))) {
            ProgressLine progress = new ProgressLine(out, label, load.requests());
            LoadResult result = load.run(router.uri(), progress::update);
            progress.clear();
            lockWaits.add(router.lockWaits());
            return result;
        }
    }

    private static void printTable(List<Row> rows, PrintStream out) {
        // 79 columns: the table must not wrap in an 80-column terminal.
        String format = "%-3s %-22s %-8s %6s %5s %6s %8s %7s %6s%n";
        out.println();
        out.println(String.format(Locale.ROOT, "%-35s %6s %12s %8s %7s", "", "", "client ms", "lock ms", "route")
                .stripTrailing());
        out.printf(Locale.ROOT, format, "", "routes lock", "hold", "req/s", "p50", "p99", "p99 wait", "updates",
                "failed");
        for (Row row : rows) {
            LoadResult r = row.result();
            out.printf(Locale.ROOT, format, "(" + row.style().letter() + ")", row.style().lockName(),
                    row.style().hold(),
                    String.format(Locale.ROOT, "%,.0f", r.requestsPerSecond()),
                    String.format(Locale.ROOT, "%.1f", r.percentileMillis(50)),
                    String.format(Locale.ROOT, "%.1f", r.percentileMillis(99)),
                    String.format(Locale.ROOT, "%.2f", row.lockWaits().percentileMillis(99)),
                    r.routeUpdates(), r.failed());
        }
        out.println();
        out.println("hold: the read lock held across the downstream call, or released before it.");
        out.println("client ms: latency as the load generator saw it. lock ms: how long the router");
        out.println("waited for the routes lock. Held across the call, a route update waits for the");
        out.println("slowest call in flight, and every request that arrives meanwhile waits behind");
        out.println("the update. Look the route up, release, then call.");
        out.flush();
    }

    private record Row(LockStyle style, LoadResult result, WaitHistogram lockWaits) {
    }

    private RouterDemo() {
    }
}
