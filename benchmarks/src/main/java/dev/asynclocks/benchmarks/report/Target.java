package dev.asynclocks.benchmarks.report;

import java.util.List;
import java.util.Locale;

/**
 * A performance target of issue 5, evaluated on one run's results: a ratio of two measurements (or
 * a measurement against a constant) that must stay at most, or at least, a threshold.
 *
 * {@snippet :
 * for (Target target : Target.ALL) {
 *     Target.Outcome outcome = target.evaluate(results);
 * }
 * }
 *
 * @param description  what is promised
 * @param scenario     id of the scenario both measurements come from
 * @param numerator    method whose measurement is divided
 * @param denominator  method it is divided by, or {@code null} to divide by {@code constant}
 * @param constant     the divisor when {@code denominator} is null (1 for an absolute bound)
 * @param metric       what is compared: {@code SCORE} or {@code ALLOC} (bytes per lock operation)
 * @param atMost       {@code true}: ratio must be at most threshold; {@code false}: at least
 * @param threshold    the bound, or NaN for a context line that has none
 * @param unit         how the ratio is shown ("x", or "B" for an absolute bound)
 */
record Target(String description, String scenario, String numerator, String denominator, double constant,
              Metric metric, boolean atMost, double threshold, String unit) {

    enum Metric { SCORE, ALLOC }

    /**
     * The result of checking a target: the ratio, its error, whether the bound holds, and, if not,
     * whether it holds within the error.
     */
    record Outcome(double ratio, double error, boolean met, boolean withinError, boolean missing) {
    }

    static final List<Target> ALL = List.of(
            new Target("uncontended AsyncMutex acquire()+release vs ReentrantLock", "1", "asyncMutexAcquire",
                    "reentrantLock", 1, Metric.SCORE, true, 1.5, "x"),
            new Target("uncontended AsyncMutex acquire()+release vs IBM FairAsyncLock", "1", "asyncMutexAcquire",
                    "ibmFairAsyncLock", 1, Metric.SCORE, true, 1.0, "x"),
            new Target("uncontended AsyncMutex acquire()+release allocation", "1", "asyncMutexAcquire", null, 1,
                    Metric.ALLOC, true, 32, "B/op"),
            new Target("uncontended AsyncMutex lock()+release vs ReentrantLock", "1", "asyncMutexLock",
                    "reentrantLock", 1, Metric.SCORE, true, 1.5, "x"),
            new Target("1,000 virtual threads, lock(): throughput vs fair ReentrantLock", "3@1000",
                    "reentrantLockFair", "asyncMutexLock", 1, Metric.SCORE, false, 2.0, "x"),
            new Target("1,000 virtual threads, lock(): throughput vs IBM FairAsyncLock (join)", "3@1000",
                    "ibmFairAsyncLockJoin", "asyncMutexLock", 1, Metric.SCORE, false, 2.0, "x"),
            new Target("1,000 tasks, acquire() continuations: throughput vs non-fair ReentrantLock (virtual threads)",
                    "3@1000", "reentrantLock", "asyncMutexAcquireChain", 1, Metric.SCORE, false, 1.0, "x"),
            new Target("logic section, lock() + sleep: time vs serial ideal", "4", "asyncMutexLock", null, 200,
                    Metric.SCORE, true, 1.03, "x"),
            new Target("logic section, withLock + async delay: time vs serial ideal", "4",
                    "asyncMutexWithLockAsyncDelay", null, 200, Metric.SCORE, true, 1.03, "x"),
            // Engine v2 (issue 12).
            new Target("1,000 tasks, acquire() continuations: time vs IBM FairAsyncLock's chain", "3@1000",
                    "asyncMutexAcquireChain", "ibmFairAsyncLockChain", 1, Metric.SCORE, true, 1.0, "x"),
            new Target("1,000 tasks, acquire() continuations: allocation per hand-off", "3@1000",
                    "asyncMutexAcquireChain", null, 1, Metric.ALLOC, true, 96, "B/op"),
            new Target("1,000 tasks, acquire(30 s) chain vs acquire() chain", "3@1000",
                    "asyncMutexAcquireTimeoutChain", "asyncMutexAcquireChain", 1, Metric.SCORE, true, 1.5, "x"),
            new Target("1,000 virtual threads, lock(): time vs fair ReentrantLock", "3@1000",
                    "asyncMutexLock", "reentrantLockFair", 1, Metric.SCORE, true, 1.0, "x"),
            new Target("1,000 virtual threads, lock(): time per 1,000,000 acquisitions (170 ns each)", "3@1000",
                    "asyncMutexLock", null, 1, Metric.SCORE, true, 170, "ms"),
            new Target("bytes per queued waiter (AsyncMutex acquire())", "6", "asyncMutexAcquire", null, 1,
                    Metric.SCORE, true, 48, "B"),
            // Context, no bound: how much of scenario 4's excess over the ideal is the timer's own.
            new Target("context: logic section, lock() + sleep vs 200 sleeps without a lock", "4",
                    "asyncMutexLock", "sleepFloor", 1, Metric.SCORE, true, Double.NaN, "x"),
            new Target("context: logic section, withLock + async delay vs 200 async delays without a lock", "4",
                    "asyncMutexWithLockAsyncDelay", "asyncDelayFloor", 1, Metric.SCORE, true, Double.NaN, "x"),
            new Target("context: 1,000 tasks, acquire().join() vs lock() on virtual threads", "3@1000",
                    "asyncMutexAcquireJoin", "asyncMutexLock", 1, Metric.SCORE, true, Double.NaN, "x"));

    /** Computes the ratio and its error (relative errors added in quadrature). */
    Outcome evaluate(List<Result> results) {
        Scenario s = Scenario.byId(scenario).orElseThrow();
        Result a = s.find(results, numerator).orElse(null);
        Result b = denominator == null ? null : s.find(results, denominator).orElse(null);
        if (a == null || (denominator != null && b == null)) {
            return new Outcome(Double.NaN, Double.NaN, false, false, true);
        }
        double va = metric == Metric.SCORE ? a.score() : s.allocPerOperation(a);
        double ea = metric == Metric.SCORE ? a.error() : a.allocError() / s.operations();
        double vb = b == null ? constant : metric == Metric.SCORE ? b.score() : s.allocPerOperation(b);
        double eb = b == null ? 0 : metric == Metric.SCORE ? b.error() : b.allocError() / s.operations();
        double ratio = va / vb;
        double error = Math.abs(ratio) * Math.hypot(relative(ea, va), relative(eb, vb));
        // Byte counts are compared to 0.1 B: -prof gc spreads JMH's own few bytes over all operations.
        double compared = unit.startsWith("B") ? Math.round(ratio * 10) / 10.0 : ratio;
        boolean met = atMost ? compared <= threshold : compared >= threshold;
        boolean withinError = !met && !Double.isNaN(error)
                && (atMost ? ratio - error <= threshold : ratio + error >= threshold);
        return new Outcome(ratio, error, met, withinError, Double.isNaN(ratio));
    }

    /** A NaN error (a single iteration) makes the ratio's error unknown (NaN) too. */
    private static double relative(double error, double value) {
        return error / value;
    }

    /** @return the bound as text, e.g. "<= 1.5x" */
    String bound() {
        return isContext() ? "" : (atMost ? "<= " : ">= ") + format(threshold) + " " + unit;
    }

    /** @return whether this line only gives context (no bound) */
    boolean isContext() {
        return Double.isNaN(threshold);
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
