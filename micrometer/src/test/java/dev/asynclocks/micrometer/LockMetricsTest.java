package dev.asynclocks.micrometer;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import dev.asynclocks.LockObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Issue 16: the Micrometer binder, scraped from a real {@link PrometheusMeterRegistry}. */
class LockMetricsTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final List<String> COMMON_SERIES = List.of(
            "asynclocks_queue_length", "asynclocks_acquisitions_total", "asynclocks_acquisitions_contended_total",
            "asynclocks_cancellations_total", "asynclocks_timeouts_total", "asynclocks_rejections_total",
            "asynclocks_wait_seconds_count", "asynclocks_wait_seconds_sum", "asynclocks_wait_seconds_max",
            "asynclocks_hold_seconds_count", "asynclocks_hold_seconds_sum", "asynclocks_hold_seconds_max");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void metersAppearWithTheirNamesAndTags() {
        AsyncRwLock routes = AsyncRwLock.builder().name("routes").build();
        AsyncMutex cache = AsyncMutex.builder().name("cache").build();
        AsyncSemaphore pool = AsyncSemaphore.builder(5).name("db").build();
        LockMetrics.of(routes).tags("service", "router").bindTo(registry);
        LockMetrics.of(cache).bindTo(registry);
        LockMetrics.of(pool).bindTo(registry);
        String scrape = registry.scrape();

        String routesTags = "name=\"routes\",service=\"router\",type=\"AsyncRwLock\"";
        for (String series : COMMON_SERIES) {
            value(scrape, series + "{" + routesTags + "}");
            value(scrape, series + "{name=\"cache\",type=\"AsyncMutex\"}");
            value(scrape, series + "{name=\"db\",type=\"AsyncSemaphore\"}");
        }
        assertEquals(0, value(scrape, "asynclocks_readers{" + routesTags + "}"));
        assertEquals(1, value(scrape, "asynclocks_permits_available{name=\"cache\",type=\"AsyncMutex\"}"));
        assertEquals(5, value(scrape, "asynclocks_permits_available{name=\"db\",type=\"AsyncSemaphore\"}"));
        assertFalse(scrape.contains("asynclocks_permits_available{name=\"routes\""), "no permits gauge for a rwlock");
        assertFalse(scrape.contains("asynclocks_readers{name=\"cache\""), "no readers gauge for a mutex");
        assertTrue(scrape.contains("asynclocks_wait_seconds_bucket{" + routesTags + ",le=\"+Inf\"}"),
                "a percentile histogram");
        assertTrue(scrape.contains("asynclocks_hold_seconds_bucket{" + routesTags + ",le=\"1.0E-6\"}")
                        || scrape.contains("asynclocks_hold_seconds_bucket{" + routesTags + ",le=\"0.000001\"}"),
                "buckets from a microsecond: " + bucketsOf(scrape, "asynclocks_hold_seconds", routesTags));
    }

    @Test
    void countsMatchAControlledWorkload() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("workload").maxWaiters(2).build();
        LockMetrics.of(mutex).holdSampleEvery(1).bindTo(registry);
        String tags = "{name=\"workload\",type=\"AsyncMutex\"}";

        mutex.lock().release();                                          // acquisition 1
        mutex.tryAcquire().orElseThrow().release();                      // 2
        await(mutex.acquire()).release();                                // 3
        Guard holder = mutex.lock();                                     // 4
        CompletableFuture<Guard> granted = mutex.acquire().toCompletableFuture();
        CompletableFuture<Guard> cancelled = mutex.acquire().toCompletableFuture();
        assertEquals(2, value(registry.scrape(), "asynclocks_queue_length" + tags));
        assertEquals(0, value(registry.scrape(), "asynclocks_permits_available" + tags));
        CompletableFuture<Guard> rejected = mutex.acquire().toCompletableFuture();   // queue full
        assertTrue(rejected.isCompletedExceptionally());
        assertTrue(cancelled.cancel(true));
        CompletableFuture<Guard> timedOut = mutex.acquire(Duration.ofMillis(1)).toCompletableFuture();
        awaitFailure(timedOut, TimeoutException.class);
        holder.release();                                                // 5: granted, contended
        await(granted).release();
        Guard second = mutex.lock();                                     // 6
        CompletableFuture<Guard> waiter = mutex.acquire().toCompletableFuture();
        second.release();                                                // 7: contended
        await(waiter).release();

        String scrape = registry.scrape();
        assertEquals(7, value(scrape, "asynclocks_acquisitions_total" + tags));
        assertEquals(2, value(scrape, "asynclocks_acquisitions_contended_total" + tags));
        assertEquals(1, value(scrape, "asynclocks_cancellations_total" + tags));
        assertEquals(1, value(scrape, "asynclocks_timeouts_total" + tags));
        assertEquals(1, value(scrape, "asynclocks_rejections_total" + tags));
        assertEquals(0, value(scrape, "asynclocks_queue_length" + tags));
        assertEquals(1, value(scrape, "asynclocks_permits_available" + tags));
        assertEquals(2, value(scrape, "asynclocks_wait_seconds_count" + tags), "one wait per contended acquisition");
        assertEquals(7, value(scrape, "asynclocks_hold_seconds_count" + tags), "every hold, sampling 1");
    }

    @Test
    void holdSamplingTimesOneHoldInN() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.builder(3).name("sampled").build();
        LockMetrics.of(semaphore).bindTo(registry);                      // the default, one in 64
        int holds = 4 * LockMetrics.DEFAULT_HOLD_SAMPLE_EVERY;
        for (int i = 0; i < holds; i++) {
            semaphore.lock(1).release();
        }
        String scrape = registry.scrape();
        String tags = "{name=\"sampled\",type=\"AsyncSemaphore\"}";
        assertEquals(holds, value(scrape, "asynclocks_acquisitions_total" + tags));
        assertEquals(4, value(scrape, "asynclocks_hold_seconds_count" + tags));
    }

    /** Exact samples, fed to the bound observer: every bucket, the sum, the max and the quantiles match. */
    @Test
    void percentilesMatchExactSamples() {
        AsyncMutex mutex = AsyncMutex.builder().name("exact").build();
        LockMetrics metrics = LockMetrics.of(mutex);
        metrics.bindTo(registry);
        LockObserver observer = metrics.observer();
        for (int ms = 1; ms <= 100; ms++) {                             // waits of 1, 2, ..., 100 ms
            observer.waited(TimeUnit.MILLISECONDS.toNanos(ms));
        }
        String scrape = registry.scrape();
        String tags = "name=\"exact\",type=\"AsyncMutex\"";
        assertEquals(100, value(scrape, "asynclocks_wait_seconds_count{" + tags + "}"));
        assertEquals(5.05, value(scrape, "asynclocks_wait_seconds_sum{" + tags + "}"), 1e-9);
        assertEquals(0.1, value(scrape, "asynclocks_wait_seconds_max{" + tags + "}"), 1e-9);
        List<double[]> buckets = bucketsOf(scrape, "asynclocks_wait_seconds", tags);
        assertTrue(buckets.size() > 20, "a fine histogram: " + buckets.size() + " buckets");
        for (double[] bucket : buckets) {
            long expected = Math.min(100, (long) Math.floor(bucket[0] * 1000 + 1e-9));
            assertEquals(expected, (long) bucket[1], "samples <= " + bucket[0] + " s");
        }
        assertBracketed(50, quantileBucket(buckets, 0.50));
        assertBracketed(99, quantileBucket(buckets, 0.99));
    }

    /** The real lock's samples: a controlled workload of short and long holds and one long wait. */
    @Test
    void theLocksOwnSamplesLandInTheHistograms() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("timed").build();
        LockMetrics.of(mutex).holdSampleEvery(1).bindTo(registry);
        Duration longHold = Duration.ofMillis(20);
        for (int i = 0; i < 8; i++) {
            mutex.lock().release();                                      // 8 short holds
        }
        Guard first = mutex.lock();
        CompletableFuture<Guard> waiter = mutex.acquire().toCompletableFuture();
        pause(longHold);                                                 // the waiter waits at least this
        first.release();                                                 // a long hold
        Guard second = await(waiter);
        pause(longHold);
        second.release();                                                // another long hold

        String scrape = registry.scrape();
        String tags = "name=\"timed\",type=\"AsyncMutex\"";
        assertEquals(10, value(scrape, "asynclocks_hold_seconds_count{" + tags + "}"));
        assertEquals(1, value(scrape, "asynclocks_wait_seconds_count{" + tags + "}"));
        double longSeconds = longHold.toNanos() / 1e9;
        assertTrue(value(scrape, "asynclocks_hold_seconds_max{" + tags + "}") >= longSeconds);
        assertTrue(value(scrape, "asynclocks_wait_seconds_max{" + tags + "}") >= longSeconds);
        for (double[] bucket : bucketsOf(scrape, "asynclocks_hold_seconds", tags)) {
            if (bucket[0] < longSeconds) {
                assertTrue(bucket[1] <= 8, "the two long holds lie above " + bucket[0] + " s");
            }
        }
        double[] p90 = quantileBucket(bucketsOf(scrape, "asynclocks_hold_seconds", tags), 0.90);
        assertTrue(p90[0] >= longSeconds, "p90 is a long hold: bucket up to " + p90[0] + " s");
    }

    @Test
    void nothingIsRegisteredForAnUnboundLock() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("unbound").build();
        LockMetrics metrics = LockMetrics.of(mutex).tags("service", "x");
        mutex.lock().release();
        assertTrue(registry.getMeters().isEmpty());
        assertFalse(registry.scrape().contains("asynclocks"));
        assertNull(metrics.observer());
        metrics.close(); // closing an unbound binder does nothing
        assertTrue(registry.getMeters().isEmpty());
    }

    @Test
    void closingRemovesTheMetersAndUnbindsTheObserver() throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("closing").build();
        LockMetrics metrics = LockMetrics.of(mutex).holdSampleEvery(1);
        metrics.bindTo(registry);
        assertFalse(registry.getMeters().isEmpty());
        metrics.close();
        assertTrue(registry.getMeters().isEmpty(), registry.getMeters().toString());
        assertFalse(registry.scrape().contains("asynclocks"));
        assertFalse(mutex.unbind(new LockObserver() {
            @Override
            public void waited(long nanos) {
            }

            @Override
            public void held(long nanos) {
            }
        }));

        PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(other);                                           // the lock's slot is free again
        mutex.lock().release();
        assertEquals(1, value(other.scrape(), "asynclocks_hold_seconds_count{name=\"closing\",type=\"AsyncMutex\"}"));
        metrics.close();
        assertTrue(other.getMeters().isEmpty());
    }

    @Test
    void aLockHasOneBinderAtATime() {
        AsyncMutex mutex = AsyncMutex.builder().name("once").build();
        LockMetrics metrics = LockMetrics.of(mutex);
        metrics.bindTo(registry);
        assertThrows(IllegalStateException.class, () -> metrics.bindTo(registry));
        PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> LockMetrics.of(mutex).bindTo(other));
        assertTrue(refused.getMessage().contains("'once'"), refused.getMessage());
        assertTrue(other.getMeters().isEmpty(), "a refused binder registers nothing");
        assertNotNull(metrics.observer());
        assertThrows(IllegalArgumentException.class, () -> metrics.holdSampleEvery(0));
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The value of the one series line that starts with {@code series} followed by a space. */
    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return fail("no series " + series + " in:\n" + scrape);
    }

    /** The buckets of a histogram, as (upper bound in seconds, cumulative count), in order. */
    private static List<double[]> bucketsOf(String scrape, String histogram, String tags) {
        Pattern bucket = Pattern.compile(Pattern.quote(histogram + "_bucket{" + tags + ",le=\"") + "([^\"]+)\"} (\\S+)");
        List<double[]> buckets = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            Matcher m = bucket.matcher(line);
            if (m.matches() && !m.group(1).equals("+Inf")) {
                buckets.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
            }
        }
        return buckets;
    }

    /** The (upper bound, count) of the bucket holding quantile {@code q}, as histogram_quantile finds it. */
    private static double[] quantileBucket(List<double[]> buckets, double q) {
        double total = buckets.getLast()[1];
        for (double[] bucket : buckets) {
            if (bucket[1] >= q * total) {
                return bucket;
            }
        }
        return fail("no bucket reaches quantile " + q);
    }

    /** The bucket ending at {@code bucket[0]} is the first to hold a sample of {@code ms} ms. */
    private static void assertBracketed(int ms, double[] bucket) {
        assertTrue(bucket[0] >= ms / 1000.0, String.format(Locale.ROOT, "%d ms <= %.6f s", ms, bucket[0]));
        assertTrue(bucket[1] <= 100 && bucket[1] >= ms, String.format(Locale.ROOT, "count %.0f", bucket[1]));
    }

    private static <T> T await(CompletionStage<T> stage) throws InterruptedException, ExecutionException {
        try {
            return stage.toCompletableFuture().get(LIMIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return fail("not completed within " + LIMIT + ": " + stage);
        }
    }

    private static void awaitFailure(CompletableFuture<?> stage, Class<? extends Throwable> expected)
            throws InterruptedException {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> stage.get(LIMIT.toNanos(), TimeUnit.NANOSECONDS));
        assertTrue(expected.isInstance(failure.getCause()), failure.toString());
    }

    /** Lets at least {@code duration} pass (a duration to measure, not a synchronization). */
    private static void pause(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
