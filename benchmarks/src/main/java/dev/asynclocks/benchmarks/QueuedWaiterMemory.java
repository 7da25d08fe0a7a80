package dev.asynclocks.benchmarks;

import com.google.common.util.concurrent.ExecutionSequencer;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import com.ibm.asyncutil.locks.AsyncLock.LockToken;
import com.ibm.asyncutil.locks.FairAsyncLock;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlinx.coroutines.sync.Mutex;
import kotlinx.coroutines.sync.MutexKt;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 6: heap bytes per queued waiter. For each lock: hold it, queue {@code waiters} async
 * acquisitions, and compare the live heap (after {@code System.gc()}) before and after; then
 * release and drain the queue, checking every waiter was granted in turn. Also reports the bytes
 * the queueing thread allocated per acquisition (live or not). Score: the median over the rounds;
 * error: half the range. Run it with the default collector (G1): its rounds agree to within 0.1 B
 * per waiter, where the serial collector's alternate by the size of the previous round's array.
 *
 * <p>Not a JMH benchmark (JMH measures rates, not live sets): a plain program writing its results
 * as JMH-shaped JSON, so the report and the chart read them like the rest.
 *
 * {@snippet lang=shell :
 * java -cp benchmarks/target/benchmarks.jar dev.asynclocks.benchmarks.QueuedWaiterMemory \
 *     benchmarks/results/memory.json 1000000 3
 * }
 */
public final class QueuedWaiterMemory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One contender: queues {@code waiters} acquisitions behind a held lock, then drains them. */
    private interface Contender {
        String name();

        /** Holds the lock and queues acquisitions into {@code keep}; the holder goes last in keep. */
        void queue(Object[] keep);

        /** Releases the hold and every granted waiter in turn; fails if one was not granted. */
        void drain(Object[] keep);
    }

    /** One measured round. */
    private record Round(double retainedPerWaiter, double allocatedPerWaiter) {
    }

    private QueuedWaiterMemory() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "queued-waiter-memory.json");
        int waiters = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;

        List<Contender> contenders = List.of(asyncMutex(), asyncRwLockRead(), ibmFairAsyncLock(), kotlinxMutex(),
                guavaExecutionSequencer());
        ArrayNode json = JSON.createArrayNode();
        for (int c = 0; c < contenders.size(); c++) {
            Contender contender = contenders.get(c);
            measure(contender, waiters); // warm-up round, not recorded
            Round[] measured = new Round[rounds];
            for (int r = 0; r < rounds; r++) {
                measured[r] = measure(contender, waiters);
            }
            double[] retained = Arrays.stream(measured).mapToDouble(Round::retainedPerWaiter).toArray();
            double[] allocated = Arrays.stream(measured).mapToDouble(Round::allocatedPerWaiter).toArray();
            System.out.printf(Locale.ROOT, "%-28s retained %7.1f B/waiter (rounds %s), allocated %7.1f B/acquire%n",
                    contender.name(), median(retained), Arrays.toString(retained), median(allocated));
            json.add(entry(contender.name(), waiters, retained, allocated));
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        System.out.println("wrote " + out);
    }

    private static Round measure(Contender contender, int waiters) {
        Object[] keep = new Object[waiters + 1];
        long before = liveHeap();
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        contender.queue(keep);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long after = liveHeap();
        contender.drain(keep);
        return new Round((double) (after - before) / waiters, (double) allocated / waiters);
    }

    private static long liveHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // a few collections, until finalization-free garbage is gone
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    // ---- the contenders ------------------------------------------------------------------------

    private static Contender asyncMutex() {
        return new Contender() {
            private AsyncMutex mutex;

            public String name() {
                return "asyncMutexAcquire";
            }

            public void queue(Object[] keep) {
                mutex = new AsyncMutex();
                keep[keep.length - 1] = mutex.tryAcquire().orElseThrow();
                for (int i = 0; i < keep.length - 1; i++) {
                    keep[i] = mutex.acquire();
                }
            }

            public void drain(Object[] keep) {
                ((Guard) keep[keep.length - 1]).release();
                for (int i = 0; i < keep.length - 1; i++) {
                    CompletableFuture<?> next = ((CompletableFuture<?>) keep[i]);
                    if (!next.isDone()) {
                        throw new IllegalStateException("waiter " + i + " not granted in turn");
                    }
                    ((Guard) next.join()).release();
                }
                if (mutex.isLocked()) {
                    throw new IllegalStateException("still locked after draining: " + mutex);
                }
            }
        };
    }

    private static Contender asyncRwLockRead() {
        return new Contender() {
            private AsyncRwLock rwLock;

            public String name() {
                return "asyncRwLockReadAcquire";
            }

            public void queue(Object[] keep) {
                rwLock = new AsyncRwLock();
                keep[keep.length - 1] = rwLock.writeLock().tryAcquire().orElseThrow();
                for (int i = 0; i < keep.length - 1; i++) {
                    keep[i] = rwLock.readLock().acquire(); // readers queued behind the writer
                }
            }

            public void drain(Object[] keep) {
                ((Guard) keep[keep.length - 1]).release(); // admits all readers at once
                for (int i = 0; i < keep.length - 1; i++) {
                    CompletableFuture<?> next = ((CompletableFuture<?>) keep[i]);
                    if (!next.isDone()) {
                        throw new IllegalStateException("reader " + i + " not admitted");
                    }
                    ((Guard) next.join()).release();
                }
                if (rwLock.readers() != 0 || rwLock.isWriteLocked()) {
                    throw new IllegalStateException("still held after draining: " + rwLock);
                }
            }
        };
    }

    private static Contender ibmFairAsyncLock() {
        return new Contender() {
            private FairAsyncLock lock;

            public String name() {
                return "ibmFairAsyncLock";
            }

            public void queue(Object[] keep) {
                lock = new FairAsyncLock();
                keep[keep.length - 1] = lock.tryLock().orElseThrow();
                for (int i = 0; i < keep.length - 1; i++) {
                    keep[i] = lock.acquireLock();
                }
            }

            public void drain(Object[] keep) {
                ((LockToken) keep[keep.length - 1]).releaseLock();
                for (int i = 0; i < keep.length - 1; i++) {
                    CompletableFuture<?> next = ((CompletableFuture<?>) keep[i]);
                    if (!next.isDone()) {
                        throw new IllegalStateException("waiter " + i + " not granted in turn");
                    }
                    ((LockToken) next.join()).releaseLock();
                }
                if (lock.tryLock().isEmpty()) {
                    throw new IllegalStateException("still locked after draining");
                }
            }
        };
    }

    /**
     * kotlinx {@code Mutex}: every waiter suspends with the same no-op continuation, so what is
     * measured is kotlinx's own per-waiter state; each {@code unlock(null)} then hands the lock to
     * the next waiter, which the next {@code unlock(null)} releases in its name.
     */
    private static Contender kotlinxMutex() {
        return new Contender() {
            private Mutex mutex;

            public String name() {
                return "kotlinxMutex";
            }

            public void queue(Object[] keep) {
                mutex = MutexKt.Mutex(false);
                if (!mutex.tryLock(null)) {
                    throw new IllegalStateException("mutex not free");
                }
                Continuation<Unit> ignoreResume = new Continuation<>() {
                    public CoroutineContext getContext() {
                        return EmptyCoroutineContext.INSTANCE;
                    }

                    public void resumeWith(Object result) {
                    }
                };
                Object suspended = IntrinsicsKt.getCOROUTINE_SUSPENDED();
                for (int i = 0; i < keep.length - 1; i++) {
                    if (mutex.lock(null, ignoreResume) != suspended) {
                        throw new IllegalStateException("waiter " + i + " did not queue");
                    }
                }
            }

            public void drain(Object[] keep) {
                for (int i = 0; i < keep.length; i++) {
                    mutex.unlock(null);
                }
                if (mutex.isLocked()) {
                    throw new IllegalStateException("still locked after draining");
                }
            }
        };
    }

    /**
     * Guava {@code ExecutionSequencer}: a task that waits on a gate holds the sequencer, then every
     * waiter is a submitted task; they share one callable, so what is measured is Guava's own
     * per-task state and the future each submission returns.
     */
    private static Contender guavaExecutionSequencer() {
        return new Contender() {
            private final AtomicLong ran = new AtomicLong();
            private final Callable<Void> task = () -> {
                ran.incrementAndGet();
                return null;
            };

            public String name() {
                return "guavaExecutionSequencerQueued";
            }

            public void queue(Object[] keep) {
                ran.set(0);
                ExecutionSequencer sequencer = ExecutionSequencer.create();
                SettableFuture<Void> gate = SettableFuture.create();
                sequencer.submitAsync(() -> gate, MoreExecutors.directExecutor());
                keep[keep.length - 1] = gate;
                for (int i = 0; i < keep.length - 1; i++) {
                    keep[i] = sequencer.submit(task, MoreExecutors.directExecutor());
                }
                if (ran.get() != 0) {
                    throw new IllegalStateException("a task ran while the sequencer was held");
                }
            }

            @SuppressWarnings("unchecked")
            public void drain(Object[] keep) {
                ((SettableFuture<Void>) keep[keep.length - 1]).set(null);
                for (int i = 0; i < keep.length - 1; i++) {
                    if (!((Future<?>) keep[i]).isDone()) {
                        throw new IllegalStateException("task " + i + " did not run");
                    }
                }
                if (ran.get() != keep.length - 1) {
                    throw new IllegalStateException("ran " + ran.get() + " tasks of " + (keep.length - 1));
                }
            }
        };
    }

    // ---- JSON ------------------------------------------------------------------------------------

    /** The median: a collection that happens to free unrelated memory spoils one round, not the score. */
    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double halfRange(double[] values) {
        return (Arrays.stream(values).max().orElse(0) - Arrays.stream(values).min().orElse(0)) / 2;
    }

    /** One result in the shape of JMH's JSON, so the report reads it like the rest. */
    private static ObjectNode entry(String name, int waiters, double[] retained, double[] allocated) {
        ObjectNode entry = JSON.createObjectNode()
                .put("benchmark", QueuedWaiterMemory.class.getName() + "." + name)
                .put("mode", "memory")
                .put("threads", 1)
                .put("forks", 1)
                .put("jdkVersion", System.getProperty("java.version"))
                .put("vmName", System.getProperty("java.vm.name"))
                .put("vmVersion", System.getProperty("java.vm.version"));
        entry.putObject("params").put("waiters", String.valueOf(waiters));
        ObjectNode primary = metric(entry.putObject("primaryMetric"), retained, "B/waiter");
        ArrayNode raw = primary.putArray("rawData").addArray();
        Arrays.stream(retained).forEach(raw::add);
        metric(entry.putObject("secondaryMetrics").putObject("allocated"), allocated, "B/acquire");
        return entry;
    }

    private static ObjectNode metric(ObjectNode metric, double[] rounds, String unit) {
        return metric.put("score", median(rounds)).put("scoreError", halfRange(rounds)).put("scoreUnit", unit);
    }
}
