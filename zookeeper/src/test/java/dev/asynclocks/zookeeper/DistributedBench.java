package dev.asynclocks.zookeeper;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The side-by-side benchmark of issue 14: ours against Apache Curator's {@code InterProcessMutex},
 * same run, same standalone server (its own JVM, on 127.0.0.1). For N = 1, 2, 4 contending
 * {@link BenchWorker} JVMs, each looping "lock, note the time, release" on one path for a fixed
 * window, it reports
 * <ul>
 *   <li>uncontended acquire+release: with N = 1, the time from one grant to the next;</li>
 *   <li>hand-off latency: from a holder's release to the next holder's grant in another JVM
 *       (merged by System.nanoTime, one clock for every process of the machine), p50 and p99;</li>
 *   <li>throughput: holds per second over all N JVMs;</li>
 *   <li>the read-write locks ({@code ZkRwLock} against {@code InterProcessReadWriteLock}): throughput
 *       of 2 JVMs with 2 threads each, 75 % of the acquisitions reads.</li>
 * </ul>
 * A first unmeasured round of both warms the server up. The implementations alternate (ours,
 * Curator, ours, Curator, ...) so that drift in the machine's
 * load hits both. It also counts overlapping holds (a grant before the release of an earlier hold
 * it excludes), which must be zero for both. Writes {@code target/distributed-bench.md}, and the charts
 * {@code docs/distributed-latency.svg} (p50 and p99 side by side) and
 * {@code docs/distributed-throughput.svg} (with PNG copies in {@code target/}).
 *
 * <p>Run: {@code ./mvnw -q -B -pl zookeeper verify -DskipTests -Pbench} (about two minutes);
 * {@code -Dbench.seconds=4 -Dbench.reps=2} set the window and the repetitions.
 */
public final class DistributedBench {

    private static final int[] JVMS = {1, 2, 4};
    private static final String[] IMPLS = {"ours", "curator"};
    /** The read-write run: this many JVMs, each with this many threads, this share of reads. */
    private static final int RW_JVMS = 2;
    private static final int RW_THREADS = 2;
    private static final int RW_READ_PERCENT = 75;

    /** All holds of one implementation and N, pooled over the repetitions. */
    private static final class Result {
        final List<Long> cycles = new ArrayList<>();
        final List<Long> handOffs = new ArrayList<>();
        long holds;
        double seconds;
        int overlaps;
    }

    private DistributedBench() {
    }

    public static void main(String[] args) throws Exception {
        Path reportDir = Path.of(args.length > 0 ? args[0] : "target");
        Path docsDir = Path.of(args.length > 1 ? args[1] : "target");
        double windowSeconds = Double.parseDouble(System.getProperty("bench.seconds", "4"));
        int reps = Integer.getInteger("bench.reps", 2);
        ZooKeeperProcesses processes = new ZooKeeperProcesses();
        Map<String, Result> results = new LinkedHashMap<>();
        String loadBefore = loadAverage();
        try {
            ZooKeeperProcesses.Server server = processes.startServer();
            say("server " + server.connectString() + "; load average " + loadBefore);
            for (String impl : IMPLS) {                                 // warms the server's JIT up; not measured
                run(processes, server, impl, 2, 1, -1, -1, 2, new Result());
            }
            for (int n : JVMS) {
                for (int rep = 0; rep < reps; rep++) {
                    for (String impl : IMPLS) {
                        Result r = results.computeIfAbsent(impl + "/" + n, k -> new Result());
                        run(processes, server, impl, n, 1, -1, rep, windowSeconds, r);
                        say(String.format(Locale.ROOT, "%-7s N=%d rep %d: %d holds so far, %.0f/s, load %s",
                                impl, n, rep, r.holds, r.holds / r.seconds, loadAverage()));
                    }
                }
            }
            for (int rep = 0; rep < reps; rep++) {                      // the read-write locks
                for (String impl : IMPLS) {
                    Result r = results.computeIfAbsent(impl + "/rw", k -> new Result());
                    run(processes, server, impl, RW_JVMS, RW_THREADS, RW_READ_PERCENT, rep, windowSeconds, r);
                    say(String.format(Locale.ROOT, "%-7s read-write rep %d: %d holds so far, %.0f/s, load %s",
                            impl, rep, r.holds, r.holds / r.seconds, loadAverage()));
                }
            }
        } finally {
            processes.stopAll();
        }
        String loadAfter = loadAverage();
        String table = table(results, loadBefore, loadAfter, windowSeconds, reps);
        System.out.println(table);
        Files.createDirectories(reportDir);
        Files.writeString(reportDir.resolve("distributed-bench.md"), table);
        charts(results, docsDir, reportDir, String.format(Locale.ROOT, "same run, same server, %s UTC, load average %s to %s",
                Instant.now().toString().substring(0, 16).replace('T', ' '), loadBefore.split(" ")[0],
                loadAfter.split(" ")[0]));
    }

    private static void run(ZooKeeperProcesses processes, ZooKeeperProcesses.Server server, String impl, int n,
                            int threads, int readPercent, int rep, double windowSeconds, Result result) throws Exception {
        String path = "/bench/" + impl + "-" + n + "-" + threads + "-" + readPercent + "-" + rep;
        List<ZooKeeperProcesses.ClientJvm> jvms = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path out = Files.createTempFile("asynclocks-bench-", ".txt");
            outs.add(out);
            ZooKeeperProcesses.ClientJvm jvm = processes.startClient(BenchWorker.class, impl, server.connectString(),
                    path, out.toString(), Integer.toString(threads), Integer.toString(readPercent));
            jvms.add(jvm);
        }
        for (ZooKeeperProcesses.ClientJvm jvm : jvms) {
            jvm.awaitLine("READY", Duration.ofSeconds(60));
        }
        long warmup = 1_500_000_000L;                                   // JIT and connections, both sides
        long start = System.nanoTime() + warmup;
        long end = start + (long) (windowSeconds * 1e9);
        for (ZooKeeperProcesses.ClientJvm jvm : jvms) {
            jvm.send("GO " + start + " " + end);
        }
        record Hold(int worker, long grant, long release, boolean read) {
        }
        List<Hold> holds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jvms.get(i).awaitLine("DONE", Duration.ofSeconds(120));
            for (String line : Files.readAllLines(outs.get(i))) {
                if (line.startsWith("FAILED")) {
                    throw new IllegalStateException(impl + " worker " + i + ": " + line);
                }
                String[] w = line.split(" ");
                holds.add(new Hold(i, Long.parseLong(w[0]), Long.parseLong(w[1]), w[2].equals("R")));
            }
            Files.delete(outs.get(i));
            processes.kill(jvms.get(i).process());
        }
        holds.sort(Comparator.comparingLong(Hold::grant));
        // overlaps: a hold granted while an earlier hold it excludes was not yet released
        long lastRelease = Long.MIN_VALUE;
        long lastExclusiveRelease = Long.MIN_VALUE;
        for (Hold h : holds) {
            if (h.grant() < (h.read() ? lastExclusiveRelease : lastRelease)) {
                result.overlaps++;
            }
            lastRelease = Math.max(lastRelease, h.release());
            if (!h.read()) {
                lastExclusiveRelease = Math.max(lastExclusiveRelease, h.release());
            }
        }
        for (int i = 1; i < holds.size() && readPercent < 0; i++) {
            Hold prev = holds.get(i - 1);
            Hold next = holds.get(i);
            if (n == 1) {
                result.cycles.add(next.grant() - prev.grant());
            } else if (next.worker() != prev.worker()) {
                result.handOffs.add(next.grant() - prev.release());
            }
        }
        result.holds += holds.size();
        result.seconds += windowSeconds;
    }

    private static String table(Map<String, Result> r, String loadBefore, String loadAfter, double window, int reps) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Run %s; %d JVM(s) per row, window %.0f s x %d repetitions per "
                        + "implementation, interleaved; one standalone server (tick 100 ms, forceSync=no); load average "
                        + "before %s, after %s; %d cores.%n%n", Instant.now(), 0, window, reps, loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors()).replace("0 JVM(s) per row, ", ""));
        t.append("| measure | asynclocks-zookeeper | Curator 5.9.0 InterProcessMutex | ours / Curator |\n|---|---|---|---|\n");
        latencyRow(t, "uncontended acquire+release, p50 (ms)", r.get("ours/1").cycles, r.get("curator/1").cycles, 0.50);
        latencyRow(t, "uncontended acquire+release, p99 (ms)", r.get("ours/1").cycles, r.get("curator/1").cycles, 0.99);
        for (int n : new int[] {2, 4}) {
            latencyRow(t, "hand-off between JVMs, " + n + " JVMs, p50 (ms)", r.get("ours/" + n).handOffs, r.get("curator/" + n).handOffs, 0.50);
            latencyRow(t, "hand-off between JVMs, " + n + " JVMs, p99 (ms)", r.get("ours/" + n).handOffs, r.get("curator/" + n).handOffs, 0.99);
        }
        for (int n : JVMS) {
            double ours = r.get("ours/" + n).holds / r.get("ours/" + n).seconds;
            double cur = r.get("curator/" + n).holds / r.get("curator/" + n).seconds;
            t.append(String.format(Locale.ROOT, "| throughput, %d JVM%s (holds/s) | %.0f | %.0f | %.2fx |%n",
                    n, n == 1 ? "" : "s", ours, cur, ours / cur));
        }
        double oursRw = r.get("ours/rw").holds / r.get("ours/rw").seconds;
        double curatorRw = r.get("curator/rw").holds / r.get("curator/rw").seconds;
        t.append(String.format(Locale.ROOT, "| read-write lock throughput, %d JVMs x %d threads, %d%% reads (holds/s) "
                        + "| %.0f | %.0f (InterProcessReadWriteLock) | %.2fx |%n", RW_JVMS, RW_THREADS, RW_READ_PERCENT,
                oursRw, curatorRw, oursRw / curatorRw));
        int oursOverlaps = r.get("ours/rw").overlaps;
        int curatorOverlaps = r.get("curator/rw").overlaps;
        for (int n : JVMS) {
            oursOverlaps += r.get("ours/" + n).overlaps;
            curatorOverlaps += r.get("curator/" + n).overlaps;
        }
        t.append("| overlapping holds (must be 0) | ").append(oursOverlaps).append(" | ").append(curatorOverlaps).append(" | |\n");
        t.append(String.format(Locale.ROOT, "%nSamples: uncontended %d / %d, hand-off (2 JVMs) %d / %d.%n",
                r.get("ours/1").cycles.size(), r.get("curator/1").cycles.size(),
                r.get("ours/2").handOffs.size(), r.get("curator/2").handOffs.size()));
        return t.toString();
    }

    private static void latencyRow(StringBuilder t, String what, List<Long> ours, List<Long> curator, double q) {
        double o = quantile(ours, q);
        double c = quantile(curator, q);
        t.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2fx |%n", what, o, c, o / c));
    }

    /** The q-quantile in milliseconds (nearest rank). */
    static double quantile(List<Long> nanos, double q) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }

    private static void charts(Map<String, Result> r, Path docsDir, Path reportDir, String subtitle) throws Exception {
        JFreeChart[] latency = new JFreeChart[2];
        double[] quantiles = {0.50, 0.99};
        for (int k = 0; k < 2; k++) {
            DefaultCategoryDataset d = new DefaultCategoryDataset();
            for (String impl : IMPLS) {
                String series = series(impl);
                d.addValue(quantile(r.get(impl + "/1").cycles, quantiles[k]), series, "uncontended");
                d.addValue(quantile(r.get(impl + "/2").handOffs, quantiles[k]), series, "hand-off, 2 JVMs");
                d.addValue(quantile(r.get(impl + "/4").handOffs, quantiles[k]), series, "hand-off, 4 JVMs");
            }
            latency[k] = ChartFactory.createBarChart((k == 0 ? "p50" : "p99") + " latency, ms (lower is better)",
                    null, "milliseconds", d, PlotOrientation.VERTICAL, true, false, false);
            latency[k].addSubtitle(new TextTitle(subtitle));
        }
        write(docsDir.resolve("distributed-latency.svg"), reportDir.resolve("distributed-latency.png"), latency);
        DefaultCategoryDataset throughput = new DefaultCategoryDataset();
        for (String impl : IMPLS) {
            for (int n : JVMS) {
                throughput.addValue(r.get(impl + "/" + n).holds / r.get(impl + "/" + n).seconds, series(impl),
                        n + (n == 1 ? " JVM" : " JVMs"));
            }
        }
        JFreeChart t = ChartFactory.createBarChart("Throughput of N contending JVMs, holds/s (higher is better)",
                null, "holds per second", throughput, PlotOrientation.VERTICAL, true, false, false);
        t.addSubtitle(new TextTitle(subtitle));
        write(docsDir.resolve("distributed-throughput.svg"), reportDir.resolve("distributed-throughput.png"), t);
    }

    private static String series(String impl) {
        return impl.equals("ours") ? "asynclocks-zookeeper" : "Curator 5.9.0 InterProcessMutex";
    }

    /** Draws the charts side by side, 480 x 420 each, into an SVG (and a PNG to look at). */
    private static void write(Path svg, Path png, JFreeChart... charts) throws Exception {
        int w = 480;
        int h = 420;
        SVGGraphics2D g = new SVGGraphics2D(w * charts.length, h);
        BufferedImage image = new BufferedImage(w * charts.length, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D ig = image.createGraphics();
        for (int i = 0; i < charts.length; i++) {
            charts[i].getPlot().setBackgroundPaint(Color.WHITE);
            ((CategoryPlot) charts[i].getPlot()).setRangeGridlinePaint(Color.GRAY);
            charts[i].draw(g, new Rectangle(i * w, 0, w, h));
            charts[i].draw(ig, new Rectangle(i * w, 0, w, h));
        }
        ig.dispose();
        Files.createDirectories(svg.getParent());
        Files.writeString(svg, g.getSVGDocument());
        Files.createDirectories(png.getParent());
        ImageIO.write(image, "png", png.toFile());
        say("wrote " + svg.toAbsolutePath().normalize() + " (and " + png.getFileName() + " in " + png.getParent() + ")");
    }

    private static String loadAverage() {
        try {
            String[] w = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return w[0] + " " + w[1] + " " + w[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void say(String line) {
        System.out.println("[bench] " + line);
    }
}
