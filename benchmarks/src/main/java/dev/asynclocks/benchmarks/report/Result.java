package dev.asynclocks.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark result read from a JMH JSON file (or from {@code QueuedWaiterMemory}'s JSON, which
 * has the same shape): which benchmark, its parameters, its score with JMH's 99.9% error, and the
 * bytes allocated per operation when the run had {@code -prof gc}.
 *
 * {@snippet :
 * List<Result> results = Result.load(Path.of("benchmarks/results/latest.json"));
 * }
 *
 * @param benchmarkClass simple name of the benchmark class
 * @param method         benchmark method name
 * @param params         JMH parameters ({@code @Param}), possibly empty
 * @param score          primary score
 * @param error          primary score's error (half-width of the 99.9% interval), NaN if unknown
 * @param unit           primary score's unit
 * @param alloc          {@code gc.alloc.rate.norm} (bytes per operation), NaN if not profiled; for
 *                       {@code QueuedWaiterMemory}, bytes allocated per queued acquisition
 * @param allocError     its error, NaN if unknown
 * @param jdkVersion     the JDK that ran it
 * @param vm             VM name and version
 */
record Result(String benchmarkClass, String method, Map<String, String> params, double score, double error,
              String unit, double alloc, double allocError, String jdkVersion, String vm) {

    /** Reads every result of one JSON file. */
    static List<Result> load(Path file) throws IOException {
        List<Result> results = new ArrayList<>();
        for (Object item : (List<?>) Json.parse(Files.readString(file))) {
            Map<?, ?> entry = (Map<?, ?>) item;
            String benchmark = (String) entry.get("benchmark");
            int lastDot = benchmark.lastIndexOf('.');
            String qualifiedClass = benchmark.substring(0, lastDot);
            Map<String, String> params = new LinkedHashMap<>();
            if (entry.get("params") instanceof Map<?, ?> map) {
                map.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
            }
            Map<?, ?> primary = (Map<?, ?>) entry.get("primaryMetric");
            double alloc = Double.NaN;
            double allocError = Double.NaN;
            if (entry.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
                // JMH's -prof gc, or QueuedWaiterMemory's bytes allocated per acquisition.
                Object norm = secondary.containsKey("gc.alloc.rate.norm")
                        ? secondary.get("gc.alloc.rate.norm") : secondary.get("allocated");
                if (norm instanceof Map<?, ?> metric) {
                    alloc = number(metric.get("score"));
                    allocError = number(metric.get("scoreError"));
                }
            }
            String vm = entry.get("vmName") + (entry.get("vmVersion") != null ? " " + entry.get("vmVersion") : "");
            results.add(new Result(qualifiedClass.substring(qualifiedClass.lastIndexOf('.') + 1),
                    benchmark.substring(lastDot + 1), params, number(primary.get("score")),
                    number(primary.get("scoreError")), (String) primary.get("scoreUnit"), alloc, allocError,
                    String.valueOf(entry.get("jdkVersion")), vm));
        }
        return results;
    }

    /** JMH writes numbers as numbers, and NaN or infinities as strings. */
    private static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s) {
            return Double.parseDouble(s);
        }
        return Double.NaN;
    }
}
