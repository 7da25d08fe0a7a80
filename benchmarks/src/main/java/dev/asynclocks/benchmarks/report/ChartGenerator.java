package dev.asynclocks.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws {@code docs/benchmarks.svg} from result JSON files: one panel per scenario, one horizontal
 * bar per contender (ours in blue, the JDK's in grey, other libraries in orange, reference points
 * pale), with JMH's error as a whisker, the scenario's baseline as a dashed line, and, where a
 * target is an absolute bound (scenario 6's bytes per waiter), that bound in red.
 *
 * {@snippet lang=shell :
 * java -cp benchmarks/target/benchmarks.jar dev.asynclocks.benchmarks.report.ChartGenerator \
 *     docs/benchmarks.svg benchmarks/results/run.json benchmarks/results/run-memory.json
 * }
 */
public final class ChartGenerator {

    private static final int WIDTH = 960;
    private static final int LABEL_WIDTH = 300;
    private static final int BAR_AREA = 500;
    private static final int ROW = 20;
    private static final int PANEL_HEAD = 44;
    private static final int PANEL_GAP = 22;

    private static final String OURS = "#2b6cb0";
    private static final String JDK = "#8a8a8a";
    private static final String LIBRARY = "#dd8a2a";
    private static final String REFERENCE = "#cfcfcf";

    private ChartGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ChartGenerator <output.svg> <result.json>...");
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].endsWith(".txt")) {
                results.addAll(Result.load(Path.of(args[i])));
            }
        }
        Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, render(results));
        System.out.println("wrote chart to " + out);
    }

    static String render(List<Result> results) {
        StringBuilder body = new StringBuilder();
        int y = 56;
        for (Scenario scenario : Scenario.ALL) {
            List<Result> rows = scenario.select(results);
            if (!rows.isEmpty()) {
                y = panel(body, scenario, rows, results, y) + PANEL_GAP;
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n",
                WIDTH, y, WIDTH, y));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, y));
        svg.append("<text x=\"12\" y=\"22\" font-size=\"16\" font-weight=\"bold\">asynclocks vs alternatives"
                + " (lower is better; whisker = 99.9% error; dashed = baseline)</text>\n");
        legend(svg, 12, 42);
        svg.append(body);
        return svg.append("</svg>\n").toString();
    }

    private static void legend(StringBuilder svg, int x, int y) {
        String[][] items = {{OURS, "asynclocks"}, {JDK, "java.util.concurrent"},
                {LIBRARY, "IBM async-util, kotlinx.coroutines"}, {REFERENCE, "reference (floor, ideal)"}};
        for (String[] item : items) {
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
                    x, y - 10, item[0], x + 16, y, escape(item[1])));
            x += 30 + item[1].length() * 7;
        }
    }

    private static int panel(StringBuilder svg, Scenario scenario, List<Result> rows, List<Result> all, int top) {
        String unit = rows.get(0).unit();
        double baseline = scenario.baselineScore(all);
        double bound = absoluteBound(scenario);
        double max = 0;
        for (Result r : rows) {
            max = Math.max(max, r.score() + (Double.isNaN(r.error()) ? 0 : r.error()));
        }
        if (!Double.isNaN(baseline)) {
            max = Math.max(max, baseline);
        }
        if (!Double.isNaN(bound)) {
            max = Math.max(max, bound);
        }
        max *= 1.05;

        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
                top + 16, escape(scenario.title())));
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" fill=\"#555\">%s, %s; dashed: %s</text>\n",
                top + 32, escape(scenario.scoreName()), escape(unit), escape(scenario.baselineName())));
        int barsTop = top + PANEL_HEAD;
        int x0 = LABEL_WIDTH;
        for (int i = 0; i < rows.size(); i++) {
            Result r = rows.get(i);
            int y = barsTop + i * ROW;
            double width = r.score() / max * BAR_AREA;
            String color = Contenders.isOurs(r.method()) ? OURS : Contenders.isReference(r.method()) ? REFERENCE
                    : r.method().startsWith("ibm") || r.method().startsWith("kotlinx") ? LIBRARY : JDK;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>%s</text>\n",
                    x0 - 8, y + 13, Contenders.isOurs(r.method()) ? " font-weight=\"bold\"" : "",
                    escape(Contenders.label(r.method()))));
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
                    x0, y + 3, Math.max(width, 0.5), ROW - 6, color));
            double end = width;
            if (!Double.isNaN(r.error()) && r.error() > 0) {
                double lo = Math.max(0, r.score() - r.error()) / max * BAR_AREA;
                double hi = (r.score() + r.error()) / max * BAR_AREA;
                int mid = y + ROW / 2;
                svg.append(String.format(Locale.ROOT,
                        "<path d=\"M%.1f %d H%.1f M%.1f %d V%d M%.1f %d V%d\" stroke=\"black\" stroke-width=\"1\"/>\n",
                        x0 + lo, mid, x0 + hi, x0 + lo, mid - 4, mid + 4, x0 + hi, mid - 4, mid + 4));
                end = Math.max(end, hi);
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%s</text>\n",
                    x0 + end + 6, y + 13, escape(Target.format(r.score()))));
        }
        int bottom = barsTop + rows.size() * ROW;
        if (!Double.isNaN(baseline)) {
            verticalLine(svg, x0 + baseline / max * BAR_AREA, barsTop, bottom, "#444", "4 3", null);
        }
        if (!Double.isNaN(bound)) {
            verticalLine(svg, x0 + bound / max * BAR_AREA, barsTop, bottom, "#c53030", "2 2",
                    "target " + Target.format(bound));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>\n",
                x0, barsTop, x0, bottom));
        return bottom;
    }

    /** @return the absolute bound a target sets on this scenario's scores, NaN if none */
    private static double absoluteBound(Scenario scenario) {
        return Target.ALL.stream()
                .filter(t -> t.scenario().equals(scenario.id()) && t.denominator() == null
                        && t.metric() == Target.Metric.SCORE && t.constant() == 1)
                .mapToDouble(Target::threshold).findFirst().orElse(Double.NaN);
    }

    private static void verticalLine(StringBuilder svg, double x, int top, int bottom, String color, String dash,
                                     String label) {
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"%s\"/>\n",
                x, top - 4, x, bottom + 2, color, dash));
        if (label != null) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"%s\" font-size=\"11\">%s</text>\n",
                    x + 3, top - 6, color, escape(label)));
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
