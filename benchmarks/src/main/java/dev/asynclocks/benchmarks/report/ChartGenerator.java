package dev.asynclocks.benchmarks.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

/**
 * Draws {@code docs/benchmarks.svg} from result JSON files with JFreeChart, on JFreeSVG's
 * {@link SVGGraphics2D}: one panel per scenario, one horizontal bar per contender (ours in blue,
 * the JDK's in grey, other libraries in orange, reference points pale), with JMH's error as a
 * whisker, the scenario's baseline as a dashed line, and, where a target is an absolute bound
 * (scenario 6's bytes per waiter), that bound in red. What is drawn (which rows, the baseline,
 * the bound) comes from {@link Scenario}, {@link Contenders} and {@link Target}, as for the tables.
 *
 * {@snippet lang=shell :
 * java -cp benchmarks/target/benchmarks.jar dev.asynclocks.benchmarks.report.ChartGenerator \
 *     docs/benchmarks.svg benchmarks/results/run/run.json benchmarks/results/run/run-memory.json
 * }
 */
public final class ChartGenerator {

    static final int WIDTH = 960;
    private static final int ROW = 20;
    /** Height of a panel besides its bars: its title, subtitle and value axis. */
    private static final int PANEL_FRAME = 90;
    private static final int HEADER = 60;

    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font BOLD = FONT.deriveFont(Font.BOLD);

    private ChartGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ChartGenerator <output.svg> <result.json>...");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
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
        Layout layout = Layout.of(results);
        SVGGraphics2D svg = new SVGGraphics2D(WIDTH, layout.height());
        svg.setDefsKeyPrefix("benchmarks-"); // fixed ids: the same results give the same file
        DecimalFormat tenths = new DecimalFormat("0.#", DecimalFormatSymbols.getInstance(Locale.ROOT));
        svg.setGeomDoubleConverter(tenths::format); // a tenth of a pixel is enough, and a fifth the size
        svg.setTransformDoubleConverter(tenths::format);
        layout.draw(svg);
        // A bare <svg> element with a view box: scales in a browser, no DTD to fetch.
        return svg.getSVGElement(null, true, new ViewBox(0, 0, WIDTH, layout.height()), null, null) + "\n";
    }

    /** The panels of one chart and where each goes, top to bottom. */
    record Layout(List<JFreeChart> panels, List<Integer> heights, int height) {

        static Layout of(List<Result> results) {
            List<JFreeChart> panels = new ArrayList<>();
            List<Integer> heights = new ArrayList<>();
            int height = HEADER;
            for (Scenario scenario : Scenario.ALL) {
                List<Result> rows = scenario.select(results);
                if (!rows.isEmpty()) {
                    panels.add(panel(scenario, rows, results));
                    heights.add(PANEL_FRAME + rows.size() * ROW);
                    height += heights.getLast();
                }
            }
            return new Layout(panels, heights, height);
        }

        /** Draws the whole chart, {@link #WIDTH} x {@link #height()}, on any {@link Graphics2D}. */
        void draw(Graphics2D g2) {
            g2.setColor(Color.WHITE);
            g2.fillRect(0, 0, WIDTH, height);
            header(g2);
            double y = HEADER;
            for (int i = 0; i < panels.size(); i++) {
                panels.get(i).draw(g2, new Rectangle2D.Double(0, y, WIDTH, heights.get(i)));
                y += heights.get(i);
            }
        }
    }

    /** The chart's title and the colour legend, above the panels. */
    private static void header(Graphics2D g2) {
        TextTitle title = new TextTitle("asynclocks vs alternatives (lower is better; whisker = 99.9% error;"
                + " dashed = baseline)", FONT.deriveFont(Font.BOLD, 16f));
        title.setHorizontalAlignment(HorizontalAlignment.LEFT);
        title.setPadding(new RectangleInsets(8, 12, 4, 12));
        title.arrange(g2, RectangleConstraint.NONE); // lays the text out; draw alone draws nothing
        title.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, 30));
        LegendItemCollection items = new LegendItemCollection();
        for (Contenders.Kind kind : Contenders.Kind.values()) {
            LegendItem item = new LegendItem(kind.description(), kind.color());
            item.setLabelFont(FONT);
            items.add(item);
        }
        LegendTitle legend = new LegendTitle(() -> items);
        legend.setItemFont(FONT);
        legend.setHorizontalAlignment(HorizontalAlignment.LEFT);
        legend.setPadding(new RectangleInsets(2, 8, 2, 8));
        legend.arrange(g2, RectangleConstraint.NONE);
        legend.draw(g2, new Rectangle2D.Double(0, 30, WIDTH, HEADER - 30));
    }

    private static JFreeChart panel(Scenario scenario, List<Result> rows, List<Result> all) {
        DefaultStatisticalCategoryDataset dataset = new DefaultStatisticalCategoryDataset();
        CategoryAxis contenders = new CategoryAxis();
        double max = 0;
        List<Color> colors = new ArrayList<>();
        for (Result r : rows) {
            // The score goes into the row's label, where neither its bar nor its whisker can hide it.
            String label = Contenders.label(r.method()) + "   " + Target.format(r.score());
            boolean hasError = !Double.isNaN(r.error()) && r.error() > 0;
            dataset.add((Double) r.score(), hasError ? (Double) r.error() : null, "score", label); // no error: no whisker
            colors.add(Contenders.kind(r.method()).color());
            contenders.setTickLabelFont(label, Contenders.isOurs(r.method()) ? BOLD : FONT);
            max = Math.max(max, r.score() + (hasError ? r.error() : 0));
        }
        contenders.setCategoryMargin(0.3);
        contenders.setLowerMargin(0.02);
        contenders.setUpperMargin(0.02);
        contenders.setMaximumCategoryLabelWidthRatio(0.45f);

        StatisticalBarRenderer bars = new StatisticalBarRenderer() {
            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                return colors.get(column);
            }
        };
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(false);
        bars.setErrorIndicatorPaint(Color.BLACK);
        bars.setErrorIndicatorStroke(new BasicStroke(1f));
        bars.setDefaultSeriesVisibleInLegend(false);

        NumberAxis values = new NumberAxis(rows.get(0).unit());
        values.setTickLabelFont(FONT);
        values.setLabelFont(FONT);
        CategoryPlot plot = new CategoryPlot(dataset, contenders, values, bars);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlineVisible(false);

        double baseline = scenario.baselineScore(all);
        if (!Double.isNaN(baseline)) {
            plot.addRangeMarker(line(baseline, new Color(0x444444), new float[] {4, 3}, null));
            max = Math.max(max, baseline);
        }
        double bound = absoluteBound(scenario);
        if (!Double.isNaN(bound)) {
            plot.addRangeMarker(line(bound, new Color(0xc53030), new float[] {2, 2}, "target " + Target.format(bound)));
            max = Math.max(max, bound);
        }
        values.setRange(0, max * 1.05);

        JFreeChart chart = new JFreeChart(null, BOLD, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(4, 12, 4, 24));
        TextTitle title = new TextTitle(scenario.title(), FONT.deriveFont(Font.BOLD, 14f));
        title.setHorizontalAlignment(HorizontalAlignment.LEFT);
        chart.setTitle(title);
        TextTitle subtitle = new TextTitle(scenario.scoreName() + ", " + rows.get(0).unit() + "; dashed: "
                + scenario.baselineName(), FONT);
        subtitle.setPaint(new Color(0x555555));
        subtitle.setHorizontalAlignment(HorizontalAlignment.LEFT);
        subtitle.setPosition(RectangleEdge.TOP);
        chart.addSubtitle(subtitle);
        return chart;
    }

    private static ValueMarker line(double value, Color color, float[] dash, String label) {
        ValueMarker marker = new ValueMarker(value, color,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        if (label != null) {
            marker.setLabel(label);
            marker.setLabelFont(FONT.deriveFont(11f));
            marker.setLabelPaint(color);
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        }
        return marker;
    }

    /** @return the absolute bound a target sets on this scenario's scores, NaN if none */
    private static double absoluteBound(Scenario scenario) {
        return Target.ALL.stream()
                .filter(t -> t.scenario().equals(scenario.id()) && t.denominator() == null
                        && t.metric() == Target.Metric.SCORE && t.constant() == 1)
                .mapToDouble(Target::threshold).findFirst().orElse(Double.NaN);
    }
}
