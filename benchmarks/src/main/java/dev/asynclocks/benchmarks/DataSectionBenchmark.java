package dev.asynclocks.benchmarks;

import com.google.common.util.concurrent.ExecutionSequencer;
import com.ibm.asyncutil.locks.AsyncLock.LockToken;
import com.ibm.asyncutil.locks.FairAsyncLock;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.shareddata.SharedData;
import kotlinx.coroutines.sync.Mutex;
import kotlinx.coroutines.sync.MutexKt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scenario 3: many tasks on one lock, each holding it for a tiny "data" section (one increment).
 * One benchmark operation is a whole run: {@code tasks} tasks x {@code rounds = TOTAL / tasks}
 * acquisitions each, {@value #TOTAL} acquisitions in all, so the score in milliseconds per run is
 * also nanoseconds per acquisition. With {@code -prof gc}, {@code gc.alloc.rate.norm / TOTAL} is
 * the bytes allocated per lock operation (thread creation included, where there are threads).
 *
 * <p>Two families, in the same run:
 * <ul>
 *   <li>blocking, on virtual threads: {@code tasks} virtual threads loop acquire, increment,
 *       release. Baselines: {@link #reentrantLock} (barging) and {@link #reentrantLockFair}. Async
 *       locks are joined ({@code acquire().join()}, Vert.x's {@code await()}), ours also parks
 *       ({@code lock()}).
 *   <li>async chains, no threads blocked: each of {@code tasks} tasks re-acquires in the
 *       continuation of its previous acquisition ({@link AsyncChain}), with no timeout, or with a
 *       timeout of {@link #TIMEOUT} on every acquisition (ours and Vert.x, the async peers that
 *       have one).
 * </ul>
 *
 * {@snippet lang=shell :
 * java -jar benchmarks/target/benchmarks.jar DataSectionBenchmark -p tasks=1000 -prof gc
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DataSectionBenchmark {

    /** Acquisitions per run, over all tasks. */
    public static final int TOTAL = 1_000_000;
    /** The timeout of every acquisition in the timeout chains: long enough never to expire. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * Vert.x local locks copy their list of waiters on every acquisition and every release, so a
     * hand-off costs time in proportion to the queue: a run of 10,000 tasks takes many minutes. The
     * Vert.x contenders run up to this many tasks, with fewer iterations (one fork, 1 + 2).
     */
    static final int VERTX_MAX_TASKS = 1_000;

    @Param({"16", "1000", "10000"})
    public int tasks;

    private int rounds;
    private final DataSection data = new DataSection();

    private ReentrantLock reentrantLock;
    private ReentrantLock reentrantLockFair;
    private Semaphore semaphore;
    private FairAsyncLock ibmLock;
    private Mutex kotlinxMutex;
    private ExecutionSequencer guavaSequencer;
    private AsyncMutex asyncMutex;

    @Setup(Level.Trial)
    public void setUp() {
        if (TOTAL % tasks != 0) {
            throw new IllegalArgumentException("tasks must divide " + TOTAL + ": " + tasks);
        }
        rounds = TOTAL / tasks;
        reentrantLock = new ReentrantLock();
        reentrantLockFair = new ReentrantLock(true);
        semaphore = new Semaphore(1);
        ibmLock = new FairAsyncLock();
        kotlinxMutex = MutexKt.Mutex(false);
        guavaSequencer = ExecutionSequencer.create();
        asyncMutex = new AsyncMutex();
    }

    // ---- blocking, on virtual threads ----------------------------------------------------------

    @Benchmark
    public void reentrantLock() throws InterruptedException {
        VirtualThreads.run(tasks, index -> {
            for (int i = 0; i < rounds; i++) {
                reentrantLock.lock();
                try {
                    data.increment();
                } finally {
                    reentrantLock.unlock();
                }
            }
        });
        data.expect(TOTAL);
    }

    @Benchmark
    public void reentrantLockFair() throws InterruptedException {
        VirtualThreads.run(tasks, index -> {
            for (int i = 0; i < rounds; i++) {
                reentrantLockFair.lock();
                try {
                    data.increment();
                } finally {
                    reentrantLockFair.unlock();
                }
            }
        });
        data.expect(TOTAL);
    }

    @Benchmark
    public void semaphore() throws InterruptedException {
        VirtualThreads.run(tasks, index -> {
            for (int i = 0; i < rounds; i++) {
                semaphore.acquire();
                try {
                    data.increment();
                } finally {
                    semaphore.release();
                }
            }
        });
        data.expect(TOTAL);
    }

    /** IBM's lock has no blocking entry point: a virtual thread joins the acquisition's future. */
    @Benchmark
    public void ibmFairAsyncLockJoin() throws InterruptedException {
        VirtualThreads.run(tasks, index -> {
            for (int i = 0; i < rounds; i++) {
                LockToken token = ibmLock.acquireLock().toCompletableFuture().join();
                try {
                    data.increment();
                } finally {
                    token.releaseLock();
                }
            }
        });
        data.expect(TOTAL);
    }

    /** What many users will write on a virtual thread: the async acquisition, joined. */
    @Benchmark
    public void asyncMutexAcquireJoin() throws InterruptedException {
        VirtualThreads.run(tasks, index -> {
            for (int i = 0; i < rounds; i++) {
                Guard guard = asyncMutex.acquire().toCompletableFuture().join();
                try {
                    data.increment();
                } finally {
                    guard.release();
                }
            }
        });
        data.expect(TOTAL);
    }

    /** Vert.x's way to wait for a future on a thread of one's own: {@code Future.await()}. */
    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 2, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
    public void vertxLocalLockAwait(VertxLocalLocks vertx) throws InterruptedException {
        vertx.requireAtMost(VERTX_MAX_TASKS, tasks);
        SharedData sharedData = vertx.sharedData();
        VirtualThreads.run(tasks, index -> {
            for (int i = 0; i < rounds; i++) {
                Lock lock = sharedData.getLocalLock(VertxLocalLocks.LOCK).await();
                try {
                    data.increment();
                } finally {
                    lock.release();
                }
            }
        });
        data.expect(TOTAL);
    }

    @Benchmark
    public void asyncMutexLock() throws InterruptedException {
        VirtualThreads.run(tasks, index -> {
            for (int i = 0; i < rounds; i++) {
                Guard guard = asyncMutex.lock();
                try {
                    data.increment();
                } finally {
                    guard.release();
                }
            }
        });
        data.expect(TOTAL);
    }

    // ---- async chains, no blocked threads ------------------------------------------------------

    @Benchmark
    public void ibmFairAsyncLockChain() throws InterruptedException {
        IbmLockChain.run(ibmLock, tasks, rounds, data);
    }

    @Benchmark
    public void kotlinxMutexChain() throws InterruptedException {
        KotlinxMutexChain.run(kotlinxMutex, tasks, rounds, data);
    }

    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 2, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
    public void vertxLocalLockChain(VertxLocalLocks vertx) throws InterruptedException {
        vertx.requireAtMost(VERTX_MAX_TASKS, tasks);
        VertxLockChain.run(vertx.sharedData(), -1, tasks, rounds, data);
    }

    @Benchmark
    public void guavaExecutionSequencerChain() throws InterruptedException {
        GuavaSequencerChain.run(guavaSequencer, tasks, rounds, data);
    }

    @Benchmark
    public void asyncMutexAcquireChain() throws InterruptedException {
        AsyncMutexChain.run(asyncMutex, null, tasks, rounds, data);
    }

    // ---- async chains with a timeout on every acquisition (never reached) ------------------------

    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 2, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
    public void vertxLocalLockTimeoutChain(VertxLocalLocks vertx) throws InterruptedException {
        vertx.requireAtMost(VERTX_MAX_TASKS, tasks);
        VertxLockChain.run(vertx.sharedData(), TIMEOUT.toMillis(), tasks, rounds, data);
    }

    /**
     * More warm-up than the class default: in the engine-v2 run the first measured iteration of
     * every fork was still compiling the timed path (1.5x-4.5x the later iterations).
     */
    @Benchmark
    @Warmup(iterations = 5, time = 1)
    public void asyncMutexAcquireTimeoutChain() throws InterruptedException {
        AsyncMutexChain.run(asyncMutex, TIMEOUT, tasks, rounds, data);
    }
}
