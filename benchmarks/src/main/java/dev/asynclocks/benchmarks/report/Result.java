package dev.asynclocks.benchmarks.report;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads every result of one JSON file. */
    static List<Result> load(Path file) throws IOException {
        List<Result> results = new ArrayList<>();
        JsonNode entries;
        try {
            entries = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IOException("cannot read " + file + ": " + e.getOriginalMessage(), e);
        }
        for (JsonNode entry : entries) {
            String benchmark = entry.required("benchmark").asString();
            int lastDot = benchmark.lastIndexOf('.');
            String qualifiedClass = benchmark.substring(0, lastDot);
            Map<String, String> params = new LinkedHashMap<>();
            entry.path("params").properties().forEach(p -> params.put(p.getKey(), p.getValue().asString()));
            JsonNode primary = entry.required("primaryMetric");
            // JMH's -prof gc, or QueuedWaiterMemory's bytes allocated per acquisition.
            JsonNode secondary = entry.path("secondaryMetrics");
            JsonNode norm = secondary.has("gc.alloc.rate.norm") ? secondary.get("gc.alloc.rate.norm")
                    : secondary.path("allocated");
            String vm = entry.path("vmName").asString("null")
                    + (entry.hasNonNull("vmVersion") ? " " + entry.get("vmVersion").asString() : "");
            results.add(new Result(qualifiedClass.substring(qualifiedClass.lastIndexOf('.') + 1),
                    benchmark.substring(lastDot + 1), params, number(primary.path("score")),
                    number(primary.path("scoreError")), primary.path("scoreUnit").asString(null),
                    number(norm.path("score")), number(norm.path("scoreError")),
                    entry.path("jdkVersion").asString("null"), vm));
        }
        return results;
    }

    /** JMH writes numbers as numbers, and NaN or infinities as strings; a missing number is NaN. */
    private static double number(JsonNode value) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isString()) {
            return Double.parseDouble(value.asString());
        }
        return Double.NaN;
    }
}
