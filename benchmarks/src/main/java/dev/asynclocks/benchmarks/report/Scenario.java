package dev.asynclocks.benchmarks.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One table of the report and one panel of the chart: the results of one benchmark class (and
 * parameter value), their baseline, and how to turn JMH's bytes per invocation into bytes per lock
 * operation.
 *
 * {@snippet :
 * for (Scenario scenario : Scenario.ALL) {
 *     List<Result> rows = scenario.select(results);
 * }
 * }
 *
 * @param id                 short id, used by targets ("3@1000")
 * @param title              heading
 * @param benchmarkClass     simple name of the benchmark class
 * @param params             parameters a result must have, empty for all
 * @param baseline           method of the baseline, or {@code null} when the baseline is a constant
 * @param baselineConstant   the constant baseline (used when {@code baseline} is null)
 * @param baselineName       how the ratio column names the baseline
 * @param operations         lock operations per benchmark operation (to give bytes per lock operation)
 * @param scoreName          what the score is ("time per acquire+release")
 */
record Scenario(String id, String title, String benchmarkClass, Map<String, String> params, String baseline,
                double baselineConstant, String baselineName, double operations, String scoreName) {

    /** Every scenario, in report order. */
    static final List<Scenario> ALL = List.of(
            new Scenario("1", "Scenario 1: uncontended acquire + release, one thread", "UncontendedBenchmark",
                    Map.of(), "reentrantLock", Double.NaN, "ReentrantLock", 1, "time per acquire+release"),
            new Scenario("2", "Scenario 2: two platform threads, tiny critical section", "TwoThreadContentionBenchmark",
                    Map.of(), "reentrantLock", Double.NaN, "ReentrantLock", 1, "time per acquire+release"),
            dataSection("16"),
            dataSection("1000"),
            dataSection("10000"),
            new Scenario("4", "Scenario 4: \"logic\" section, 8 tasks x 25 holds of 1 ms", "LogicSectionBenchmark",
                    Map.of(), null, 200, "serial ideal (200 ms)", 200, "time per run of 200 holds"),
            new Scenario("5", "Scenario 5: routes table, 1,000 virtual threads x 200 accesses, 95% reads",
                    "RoutesTableBenchmark", Map.of(), "reentrantReadWriteLock", Double.NaN,
                    "ReentrantReadWriteLock", 200_000, "time per run of 200,000 accesses"),
            new Scenario("6", "Scenario 6: heap per queued waiter, 1,000,000 queued async acquisitions",
                    "QueuedWaiterMemory", Map.of(), "ibmFairAsyncLock", Double.NaN, "IBM FairAsyncLock", 1,
                    "live heap per queued waiter"));

    private static Scenario dataSection(String tasks) {
        return new Scenario("3@" + tasks, String.format(
                        "Scenario 3: %,d tasks x %,d acquisitions, tiny \"data\" section", Integer.parseInt(tasks),
                        1_000_000 / Integer.parseInt(tasks)),
                "DataSectionBenchmark", Map.of("tasks", tasks), "reentrantLockFair", Double.NaN,
                "ReentrantLock (fair)", 1_000_000, "time per run of 1,000,000 acquisitions (ms = ns per acquisition)");
    }

    /** @return the results of this scenario: ours, other libraries, the JDK's, references */
    List<Result> select(List<Result> results) {
        return results.stream()
                .filter(r -> r.benchmarkClass().equals(benchmarkClass))
                .filter(r -> params.entrySet().stream().allMatch(p -> p.getValue().equals(r.params().get(p.getKey()))))
                .sorted(Comparator.comparing(r -> Contenders.kind(r.method())))
                .toList();
    }

    /** @return the result of {@code method} in this scenario */
    Optional<Result> find(List<Result> results, String method) {
        return select(results).stream().filter(r -> r.method().equals(method)).findFirst();
    }

    /** @return bytes allocated per lock operation, NaN if the run was not profiled */
    double allocPerOperation(Result result) {
        return result.alloc() / operations;
    }

    /** @return the baseline score, NaN when it is missing from the results */
    double baselineScore(List<Result> results) {
        if (baseline == null) {
            return baselineConstant;
        }
        return find(results, baseline).map(Result::score).orElse(Double.NaN);
    }

    /** @return the baseline's error, zero for a constant */
    double baselineError(List<Result> results) {
        if (baseline == null) {
            return 0;
        }
        return find(results, baseline).map(Result::error).orElse(Double.NaN);
    }

    static Optional<Scenario> byId(String id) {
        return ALL.stream().filter(s -> s.id.equals(id)).findFirst();
    }
}
