package dev.asynclocks.benchmarks;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import dev.asynclocks.LockObserver;
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
 * in the same run ({@code metrics=unbound}); then bound with the default hold sampling
 * ({@code LockMetrics.DEFAULT_HOLD_SAMPLE_EVERY}: one hold in 64 timed) and with every hold timed,
 * and, to tell the hook's own cost from Micrometer's, a do-nothing observer timing every hold.
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

    /**
     * {@code unbound}; {@code noop}: a do-nothing {@link LockObserver} timing every hold (the core
     * hook's own cost); Micrometer with {@code sampled} (the default: one hold in 64) or
     * {@code every} hold timed.
     */
    @Param({"unbound", "noop", "sampled", "every"})
    public String metrics;

    private final DataSection data = new DataSection();
    private AsyncMutex mutex;
    private PrometheusMeterRegistry registry;
    private LockMetrics binding;

    /** Does nothing: what is left is the hook's own cost (clock reads, the hold record). */
    private static final LockObserver NOOP = new LockObserver() {
        @Override
        public void waited(long nanos) {
        }

        @Override
        public void held(long nanos) {
        }
    };

    @Setup
    public void bind() {
        mutex = AsyncMutex.builder().name("bench").build();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        binding = switch (metrics) {
            case "unbound", "noop" -> null;
            case "sampled" -> LockMetrics.of(mutex);
            case "every" -> LockMetrics.of(mutex).holdSampleEvery(1);
            default -> throw new IllegalArgumentException("metrics=" + metrics);
        };
        if (binding != null) {
            binding.bindTo(registry);
        } else if (metrics.equals("noop")) {
            mutex.bind(NOOP, 1);
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
