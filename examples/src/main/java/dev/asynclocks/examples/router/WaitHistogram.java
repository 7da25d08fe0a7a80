package dev.asynclocks.examples.router;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts durations in 10-microsecond buckets up to 200 ms (longer ones share the last bucket), from
 * any number of threads at once, without locking. Percentiles are read as a bucket's upper bound.
 *
 * {@snippet :
 * WaitHistogram waits = new WaitHistogram();
 * waits.record(System.nanoTime() - askedAt);
 * double p99 = waits.percentileMillis(99);
 * }
 */
final class WaitHistogram {

    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 20_000;              // 200 ms

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);

    /** @param nanos a duration; negative counts as zero */
    void record(long nanos) {
        int bucket = (int) Math.min(Math.max(nanos, 0) / BUCKET_NANOS, BUCKETS);
        counts.incrementAndGet(bucket);
    }

    /** Adds every count of {@code other} to this histogram. */
    void add(WaitHistogram other) {
        for (int i = 0; i <= BUCKETS; i++) {
            long n = other.counts.get(i);
            if (n != 0) {
                counts.addAndGet(i, n);
            }
        }
    }

    /** @return the number of durations recorded */
    long count() {
        long total = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * @param percentile from 0 (exclusive) to 100
     * @return the upper bound, in milliseconds, of the bucket holding that percentile (nearest
     *         rank); NaN if nothing was recorded
     */
    double percentileMillis(double percentile) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return (BUCKETS + 1) * BUCKET_NANOS / 1e6;
    }
}
