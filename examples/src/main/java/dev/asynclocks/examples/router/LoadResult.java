package dev.asynclocks.examples.router;

import java.util.Arrays;
import java.util.List;

/**
 * What one load run measured: how many requests completed and failed, how long it took, and the
 * latency of every completed request.
 *
 * {@snippet :
 * LoadResult result = load.run(router.uri());
 * System.out.printf("%.0f req/s, p99 %.1f ms%n", result.requestsPerSecond(), result.percentileMillis(99));
 * }
 *
 * @param completed     requests sent and finished, answered or failed
 * @param failed        requests (and route updates) that did not get a 200: an error status or an exception
 * @param routeUpdates  route updates the admin endpoint accepted during the run
 * @param elapsedNanos  from the first request sent to the last response received
 * @param latencyNanos  the latency of each completed request, sorted ascending
 * @param firstFailure  a description of the first failure, or null if none
 */
record LoadResult(int completed, int failed, int routeUpdates, long elapsedNanos, long[] latencyNanos,
                  String firstFailure) {

    LoadResult {
        latencyNanos = latencyNanos.clone();
        Arrays.sort(latencyNanos);
    }

    /**
     * Adds up several runs, as if they were one: counts and elapsed times add, latencies pool.
     *
     * @param runs the runs
     * @return their sum
     */
    static LoadResult sum(List<LoadResult> runs) {
        int completed = 0;
        int failed = 0;
        int routeUpdates = 0;
        long elapsed = 0;
        String firstFailure = null;
        long[] latencies = new long[runs.stream().mapToInt(run -> run.latencyNanos.length).sum()];
        int n = 0;
        for (LoadResult run : runs) {
            completed += run.completed;
            failed += run.failed;
            routeUpdates += run.routeUpdates;
            elapsed += run.elapsedNanos;
            firstFailure = firstFailure != null ? firstFailure : run.firstFailure;
            System.arraycopy(run.latencyNanos, 0, latencies, n, run.latencyNanos.length);
            n += run.latencyNanos.length;
        }
        return new LoadResult(completed, failed, routeUpdates, elapsed, latencies, firstFailure);
    }

    /** @return completed requests per second of elapsed time */
    double requestsPerSecond() {
        return elapsedNanos == 0 ? 0 : completed * 1e9 / elapsedNanos;
    }

    /**
     * The latency below which {@code percentile} percent of the completed requests fall (nearest rank).
     *
     * @param percentile from 0 (exclusive) to 100
     * @return milliseconds, or NaN if no request completed
     */
    double percentileMillis(double percentile) {
        if (latencyNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * latencyNanos.length);
        return latencyNanos[Math.clamp(rank - 1, 0, latencyNanos.length - 1)] / 1e6;
    }
}
