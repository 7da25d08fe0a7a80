package dev.asynclocks.micrometer;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.LockObserver;
import dev.asynclocks.LockStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for one asynclocks lock: bind it to a {@link MeterRegistry}, and close it to
 * remove the meters again.
 *
 * {@snippet :
 * AsyncRwLock routes = AsyncRwLock.builder().name("routes").build();
 * LockMetrics metrics = LockMetrics.of(routes).tags("service", "router");
 * metrics.bindTo(registry);            // meters appear, wait and hold times start to flow
 * // ...
 * metrics.close();                     // meters removed, the lock's observer unbound
 * }
 *
 * <p>Every meter is tagged {@code name} (the lock's name from its builder, {@code unnamed} if it
 * has none) and {@code type} ({@code AsyncMutex}, {@code AsyncRwLock}, {@code AsyncSemaphore}),
 * plus the {@linkplain #tags(String...) tags} given here. The meters (Prometheus names in
 * parentheses):
 *
 * <table class="striped">
 *   <caption>Meters</caption>
 *   <thead><tr><th>meter</th><th>kind</th><th>what</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code asynclocks.queue.length} ({@code asynclocks_queue_length})</td><td>gauge</td>
 *       <td>acquisitions waiting now</td></tr>
 *   <tr><td>{@code asynclocks.permits.available}</td><td>gauge</td>
 *       <td>mutex: 1 if free, else 0; semaphore: free permits (none for a read-write lock)</td></tr>
 *   <tr><td>{@code asynclocks.readers}</td><td>gauge</td><td>read-write lock only: read holds now</td></tr>
 *   <tr><td>{@code asynclocks.acquisitions} ({@code _total})</td><td>counter</td>
 *       <td>holds granted, by any method</td></tr>
 *   <tr><td>{@code asynclocks.acquisitions.contended}</td><td>counter</td>
 *       <td>holds granted after waiting in the queue</td></tr>
 *   <tr><td>{@code asynclocks.cancellations}</td><td>counter</td>
 *       <td>queued acquisitions withdrawn by cancel, abandonment, interrupt or close</td></tr>
 *   <tr><td>{@code asynclocks.timeouts}</td><td>counter</td>
 *       <td>queued acquisitions withdrawn because their timeout elapsed</td></tr>
 *   <tr><td>{@code asynclocks.rejections}</td><td>counter</td>
 *       <td>acquisitions refused because the queue was full ({@code maxWaiters}) or the lock was closed</td></tr>
 *   <tr><td>{@code asynclocks.wait} ({@code asynclocks_wait_seconds})</td><td>timer, histogram</td>
 *       <td>queue wait of every contended acquisition (its count equals the contended counter;
 *       acquisitions granted at once do not wait and are not in it)</td></tr>
 *   <tr><td>{@code asynclocks.hold} ({@code asynclocks_hold_seconds})</td><td>timer, histogram</td>
 *       <td>duration of the sampled holds: one in {@link #holdSampleEvery(int)}, so its count is
 *       about {@code acquisitions / N}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Gauges and counters read the lock when the registry is scraped ({@code stats()},
 * {@code queueLength()}): nothing is added to the lock's paths for them. The two timers are fed
 * through the lock's {@link LockObserver} hook and publish percentile histograms (buckets from
 * 1&nbsp;µs to 10&nbsp;s), so a Prometheus query can take any quantile:
 * {@code histogram_quantile(0.99, rate(asynclocks_wait_seconds_bucket[1m]))}. A meter filter on
 * the registry can change that, as for any Micrometer meter.
 *
 * <p>A lock has one observer at a time, so it can be bound to one registry at a time (bind it to a
 * {@code CompositeMeterRegistry} to export it to several). Instances are immutable apart from
 * being bound or not; {@link #bindTo} and {@link #close} may be called from any thread.
 */
public final class LockMetrics implements MeterBinder, AutoCloseable {

    /**
     * The default hold sampling: one hold in 64 is timed. A timed hold costs two clock reads, a
     * small record and a timer update, and takes a mutex or write hold off its one-CAS release
     * path: a few hundred nanoseconds on a virtual machine with a slow clock, so at one in 64 a few
     * nanoseconds per acquisition on average (docs/observability.md has the measurement). Waits
     * are always all recorded: they are timed anyway, and happen only on the contended path.
     */
    public static final int DEFAULT_HOLD_SAMPLE_EVERY = 64;

    /** Smallest and largest bucket of the percentile histograms. */
    static final Duration HISTOGRAM_MIN = Duration.ofNanos(1_000);
    static final Duration HISTOGRAM_MAX = Duration.ofSeconds(10);

    private final Target target;
    private final Tags tags;
    private final int holdSampleEvery;
    /** The registry and meters while bound, else {@code null}. Changed by CAS. */
    private final AtomicReference<Binding> binding = new AtomicReference<>();

    private LockMetrics(Target target, Tags tags, int holdSampleEvery) {
        this.target = target;
        this.tags = tags;
        this.holdSampleEvery = holdSampleEvery;
    }

    /**
     * Meters for a mutex; not bound yet.
     *
     * @param mutex the lock
     * @return the binder, with no extra tags and the default hold sampling
     */
    public static LockMetrics of(AsyncMutex mutex) {
        Objects.requireNonNull(mutex, "mutex");
        return new LockMetrics(new Target("AsyncMutex", mutex.name(), mutex::stats, mutex::queueLength,
                mutex::bind, mutex::unbind,
                List.of(new StateGauge("asynclocks.permits.available", "1 if the mutex is free, else 0",
                        () -> mutex.isLocked() ? 0 : 1))),
                Tags.empty(), DEFAULT_HOLD_SAMPLE_EVERY);
    }

    /**
     * Meters for a read-write lock; not bound yet.
     *
     * @param lock the lock
     * @return the binder, with no extra tags and the default hold sampling
     */
    public static LockMetrics of(AsyncRwLock lock) {
        Objects.requireNonNull(lock, "lock");
        return new LockMetrics(new Target("AsyncRwLock", lock.name(), lock::stats, lock::queueLength,
                lock::bind, lock::unbind,
                List.of(new StateGauge("asynclocks.readers", "Read holds now", lock::readers))),
                Tags.empty(), DEFAULT_HOLD_SAMPLE_EVERY);
    }

    /**
     * Meters for a semaphore; not bound yet.
     *
     * @param semaphore the semaphore
     * @return the binder, with no extra tags and the default hold sampling
     */
    public static LockMetrics of(AsyncSemaphore semaphore) {
        Objects.requireNonNull(semaphore, "semaphore");
        return new LockMetrics(new Target("AsyncSemaphore", semaphore.name(), semaphore::stats,
                semaphore::queueLength, semaphore::bind, semaphore::unbind,
                List.of(new StateGauge("asynclocks.permits.available", "Free permits now",
                        semaphore::availablePermits))),
                Tags.empty(), DEFAULT_HOLD_SAMPLE_EVERY);
    }

    /**
     * The same meters with more tags on each.
     *
     * @param keyValues tag keys and values, alternating ({@code "service", "router"})
     * @return a new, unbound binder
     */
    public LockMetrics tags(String... keyValues) {
        return tags(Tags.of(keyValues));
    }

    /**
     * The same meters with more tags on each.
     *
     * @param tags the tags; {@code name} and {@code type} are set by the binder
     * @return a new, unbound binder
     */
    public LockMetrics tags(Iterable<Tag> tags) {
        return new LockMetrics(target, this.tags.and(tags), holdSampleEvery);
    }

    /**
     * The same meters, timing one hold in {@code n} ({@code 1}: every hold).
     *
     * @param n at least 1; {@link #DEFAULT_HOLD_SAMPLE_EVERY} unless set
     * @return a new, unbound binder
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public LockMetrics holdSampleEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("holdSampleEvery must be at least 1, is " + n);
        }
        return new LockMetrics(target, tags, n);
    }

    /**
     * Registers the meters in {@code registry} and binds the lock's observer.
     *
     * @param registry where the meters go
     * @throws IllegalStateException if this binder is bound already, or the lock has another
     *                               observer (another binder, say); nothing is registered then
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Binding next = new Binding(registry, new ArrayList<>(), null);
        if (!binding.compareAndSet(null, next)) {
            throw new IllegalStateException(describe() + " is already bound to a registry; close() it first");
        }
        Tags all = tags.and("name", target.name(), "type", target.type());
        List<Meter> meters = next.meters();
        meters.add(Gauge.builder("asynclocks.queue.length", target, t -> t.queueLength().getAsInt())
                .description("Acquisitions waiting in the lock's queue now").tags(all).register(registry));
        for (StateGauge gauge : target.gauges()) {
            meters.add(Gauge.builder(gauge.name(), gauge, g -> g.value().getAsInt())
                    .description(gauge.description()).tags(all).register(registry));
        }
        meters.add(counter(registry, all, "asynclocks.acquisitions", "Holds granted, by any method",
                LockStats::acquisitions));
        meters.add(counter(registry, all, "asynclocks.acquisitions.contended",
                "Holds granted after waiting in the queue", LockStats::contendedAcquisitions));
        meters.add(counter(registry, all, "asynclocks.cancellations",
                "Queued acquisitions withdrawn by cancel, abandonment, interrupt or close", LockStats::cancellations));
        meters.add(counter(registry, all, "asynclocks.timeouts",
                "Queued acquisitions withdrawn because their timeout elapsed", LockStats::timeouts));
        meters.add(counter(registry, all, "asynclocks.rejections",
                "Acquisitions refused because the queue was full (maxWaiters) or the lock was closed", LockStats::rejections));
        Timer waits = timer(registry, all, "asynclocks.wait",
                "Queue wait of each contended acquisition (acquisitions granted at once are not in it)");
        Timer holds = timer(registry, all, "asynclocks.hold",
                "Duration of sampled holds: one hold in " + holdSampleEvery + " is timed");
        meters.add(waits);
        meters.add(holds);
        TimerObserver observer = new TimerObserver(waits, holds, target);
        try {
            target.bind().bind(observer, holdSampleEvery);
        } catch (RuntimeException e) {
            meters.forEach(registry::remove);
            binding.set(null);
            throw e;
        }
        binding.set(new Binding(registry, meters, observer));
    }

    /**
     * Unbinds the lock's observer and removes the meters from the registry. Does nothing if not
     * bound. Afterwards this binder may be bound again.
     */
    @Override
    public void close() {
        Binding bound = binding.get();
        if (bound == null || bound.observer() == null || !binding.compareAndSet(bound, null)) {
            return; // not bound, or a bindTo or close is under way in another thread
        }
        target.unbind().unbind(bound.observer());
        bound.meters().forEach(bound.registry()::remove);
    }

    /** @return the observer while bound, for tests that feed it exact samples */
    LockObserver observer() {
        Binding bound = binding.get();
        return bound == null ? null : bound.observer();
    }

    @Override
    public String toString() {
        return describe() + (binding.get() == null ? " (unbound)" : " (bound)");
    }

    private String describe() {
        return "LockMetrics of " + target.type() + " '" + target.name() + "'";
    }

    private FunctionCounter counter(MeterRegistry registry, Tags all, String name, String description,
                                    ToLongFunction<LockStats> count) {
        ToDoubleFunction<Target> read = t -> count.applyAsLong(t.stats().get());
        return FunctionCounter.builder(name, target, read).description(description).tags(all).register(registry);
    }

    private static Timer timer(MeterRegistry registry, Tags all, String name, String description) {
        return Timer.builder(name).description(description).tags(all)
                .publishPercentileHistogram()
                .minimumExpectedValue(HISTOGRAM_MIN)
                .maximumExpectedValue(HISTOGRAM_MAX)
                .register(registry);
    }

    /**
     * Records the lock's samples into the two timers: lock-free, allocation-free, never throws.
     * Also keeps {@code target} reachable for as long as the lock is (the lock holds its bound
     * observer): the gauges and function counters reference it weakly, as Micrometer's do.
     */
    private record TimerObserver(Timer waits, Timer holds, Target target) implements LockObserver {
        @Override
        public void waited(long nanos) {
            waits.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void held(long nanos) {
            holds.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** What the binder needs of a lock, whichever kind. */
    private record Target(String type, String name, Supplier<LockStats> stats,
                          IntSupplier queueLength, Binder bind, Unbinder unbind,
                          List<StateGauge> gauges) {
    }

    /** A gauge of the lock's state that only some kinds of lock have. */
    private record StateGauge(String name, String description, IntSupplier value) {
    }

    @FunctionalInterface
    private interface Binder {
        void bind(LockObserver observer, int holdSampleEvery);
    }

    @FunctionalInterface
    private interface Unbinder {
        boolean unbind(LockObserver observer);
    }

    /** The registry and meters of a binding; {@code observer} is null while bindTo is under way. */
    private record Binding(MeterRegistry registry, List<Meter> meters, TimerObserver observer) {
    }
}
