package dev.asynclocks.examples.router;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoadResultTest {

    @Test
    void theWaitHistogramReadsPercentilesAsBucketUpperBounds() {
        WaitHistogram waits = new WaitHistogram();
        assertEquals(Double.NaN, waits.percentileMillis(50));
        for (int i = 1; i <= 100; i++) {
            waits.record(i * 100_000L);                  // 0.1 ms to 10 ms
        }
        WaitHistogram sum = new WaitHistogram();
        sum.add(waits);
        sum.record(Long.MAX_VALUE);                       // beyond the last bucket: counted there
        assertEquals(101, sum.count());
        assertEquals(0.11, waits.percentileMillis(1), 1e-9);
        assertEquals(5.01, waits.percentileMillis(50), 1e-9);
        assertEquals(10.01, waits.percentileMillis(100), 1e-9);
        assertEquals(200.01, sum.percentileMillis(100), 1e-9);
    }

    @Test
    void percentilesUseTheNearestRankOfTheSortedLatencies() {
        long[] latencies = new long[100];
        for (int i = 0; i < 100; i++) {
            latencies[i] = (100 - i) * 1_000_000L;       // 100 ms down to 1 ms, unsorted
        }
        LoadResult result = new LoadResult(100, 0, 0, 2_000_000_000L, latencies, null);
        assertEquals(50.0, result.percentileMillis(50));
        assertEquals(99.0, result.percentileMillis(99));
        assertEquals(100.0, result.percentileMillis(100));
        assertEquals(50.0, result.requestsPerSecond());
    }

    @Test
    void sumAddsCountsAndTimesAndPoolsLatencies() {
        LoadResult one = new LoadResult(2, 1, 3, 1_000_000_000L, new long[] {1_000_000, 3_000_000}, "first");
        LoadResult two = new LoadResult(2, 0, 4, 1_000_000_000L, new long[] {2_000_000, 4_000_000}, null);
        LoadResult sum = LoadResult.sum(List.of(one, two));
        assertEquals(4, sum.completed());
        assertEquals(1, sum.failed());
        assertEquals(7, sum.routeUpdates());
        assertEquals(2.0, sum.requestsPerSecond());
        assertEquals(2.0, sum.percentileMillis(50));
        assertEquals("first", sum.firstFailure());
    }
}
