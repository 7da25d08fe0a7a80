package dev.asynclocks.benchmarks;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import dev.asynclocks.micrometer.LockMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Issue 16: what binding a lock to Micrometer ({@code asynclocks-micrometer}'s {@code LockMetrics},
 * into a {@code PrometheusMeterRegistry}) costs its acquisitions. Baseline: the same mutex unbound,
 * in the same run ({@code metrics=unbound}); then bound with the default hold sampling (one hold in
 * 16 timed) and with every hold timed.
 *
 * <ul>
 *   <li>{@link #uncontended}: one thread, lock and release a free mutex around a one-increment
 *       section (as {@code UncontendedBenchmark}): the hold-sampling cost.</li>
 *   <li>{@link #contended}: two threads on the same mutex: hand-offs, so every wait is recorded
 *       too.</li>
 * </ul>
 *
 * {@snippet lang=shell :
 * java -jar benchmarks/target/benchmarks.jar ObserverOverheadBenchmark
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ObserverOverheadBenchmark {

    /** {@code unbound}, {@code sampled} (the default: one hold in 16), {@code every} (every hold). */
    @Param({"unbound", "sampled", "every"})
    public String metrics;

    private final DataSection data = new DataSection();
    private AsyncMutex mutex;
    private PrometheusMeterRegistry registry;
    private LockMetrics binding;

    @Setup
    public void bind() {
        mutex = AsyncMutex.builder().name("bench").build();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        binding = switch (metrics) {
            case "unbound" -> null;
            case "sampled" -> LockMetrics.of(mutex);
            case "every" -> LockMetrics.of(mutex).holdSampleEvery(1);
            default -> throw new IllegalArgumentException("metrics=" + metrics);
        };
        if (binding != null) {
            binding.bindTo(registry);
        }
    }

    @TearDown
    public void unbind() {
        if (binding != null) {
            binding.close();
        }
        registry.close();
    }

    @Benchmark
    public void uncontended() throws InterruptedException {
        lockAndIncrement();
    }

    @Benchmark
    @Threads(2)
    public void contended() throws InterruptedException {
        lockAndIncrement();
    }

    private void lockAndIncrement() throws InterruptedException {
        Guard guard = mutex.lock();
        try {
            data.increment();
        } finally {
            guard.release();
        }
    }
}
