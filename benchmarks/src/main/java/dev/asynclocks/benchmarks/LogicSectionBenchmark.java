package dev.asynclocks.benchmarks;

import com.google.common.util.concurrent.ExecutionSequencer;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import com.ibm.asyncutil.locks.FairAsyncLock;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import io.vertx.core.Future;
import io.vertx.core.shareddata.SharedData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scenario 4: a "logic" critical section, where the holder waits {@value #HOLD_MILLIS} ms while
 * holding (a virtual thread sleeps; an async holder waits for a timer future). One operation is a
 * whole run of {@value #TASKS} tasks x {@value #ROUNDS} holds; since holds cannot overlap, the
 * serial ideal is {@value #TASKS} x {@value #ROUNDS} x {@value #HOLD_MILLIS} ms = 200 ms per run.
 *
 * <p>The floors {@link #sleepFloor} and {@link #asyncDelayFloor} make the same 200 waits one after
 * another with no lock: they show how much of any excess over the ideal is the timer's own
 * overshoot rather than the lock's hand-off.
 *
 * {@snippet lang=shell :
 * java -jar benchmarks/target/benchmarks.jar LogicSectionBenchmark
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LogicSectionBenchmark {

    static final int TASKS = 8;
    static final int ROUNDS = 25;
    static final int HOLD_MILLIS = 1;
    /** The serial ideal of one run, in ms: no two holds overlap, and nothing else takes time. */
    public static final int IDEAL_MILLIS = TASKS * ROUNDS * HOLD_MILLIS;

    private final DataSection data = new DataSection();
    private AsyncDelay delay;
    private ReentrantLock reentrantLock;
    private ReentrantLock reentrantLockFair;
    private FairAsyncLock ibmLock;
    private ExecutionSequencer guavaSequencer;
    private AsyncMutex asyncMutex;

    @Setup(Level.Trial)
    public void setUp() {
        delay = new AsyncDelay();
        reentrantLock = new ReentrantLock();
        reentrantLockFair = new ReentrantLock(true);
        ibmLock = new FairAsyncLock();
        guavaSequencer = ExecutionSequencer.create();
        asyncMutex = new AsyncMutex();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        delay.close();
    }

    // ---- floors: the same waits, serial, no lock -------------------------------------------------

    @Benchmark
    public void sleepFloor() throws InterruptedException {
        VirtualThreads.run(1, index -> {
            for (int i = 0; i < TASKS * ROUNDS; i++) {
                data.increment();
                Thread.sleep(HOLD_MILLIS);
            }
        });
        data.expect(TASKS * ROUNDS);
    }

    @Benchmark
    public void asyncDelayFloor() {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < TASKS * ROUNDS; i++) {
            chain = chain.thenCompose(ignored -> {
                data.increment();
                return delay.millis(HOLD_MILLIS);
            });
        }
        chain.join();
        data.expect(TASKS * ROUNDS);
    }

    // ---- virtual threads sleeping while holding --------------------------------------------------

    @Benchmark
    public void reentrantLock() throws InterruptedException {
        VirtualThreads.run(TASKS, index -> {
            for (int i = 0; i < ROUNDS; i++) {
                reentrantLock.lock();
                try {
                    data.increment();
                    Thread.sleep(HOLD_MILLIS);
                } finally {
                    reentrantLock.unlock();
                }
            }
        });
        data.expect(TASKS * ROUNDS);
    }

    @Benchmark
    public void reentrantLockFair() throws InterruptedException {
        VirtualThreads.run(TASKS, index -> {
            for (int i = 0; i < ROUNDS; i++) {
                reentrantLockFair.lock();
                try {
                    data.increment();
                    Thread.sleep(HOLD_MILLIS);
                } finally {
                    reentrantLockFair.unlock();
                }
            }
        });
        data.expect(TASKS * ROUNDS);
    }

    @Benchmark
    public void asyncMutexLock() throws InterruptedException {
        VirtualThreads.run(TASKS, index -> {
            for (int i = 0; i < ROUNDS; i++) {
                try (Guard guard = asyncMutex.lock()) {
                    data.increment();
                    Thread.sleep(HOLD_MILLIS);
                }
            }
        });
        data.expect(TASKS * ROUNDS);
    }

    // ---- async holders waiting for a timer while holding -----------------------------------------

    @Benchmark
    public void ibmFairAsyncLockAsyncDelay() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(TASKS);
        for (int t = 0; t < TASKS; t++) {
            ibmRound(ROUNDS, done);
        }
        done.await();
        data.expect(TASKS * ROUNDS);
    }

    private void ibmRound(int left, CountDownLatch done) {
        if (left == 0) {
            done.countDown();
            return;
        }
        ibmLock.acquireLock()
                .thenCompose(token -> {
                    data.increment();
                    return delay.millis(HOLD_MILLIS).whenComplete((ignored, failure) -> token.releaseLock());
                })
                .thenRun(() -> ibmRound(left - 1, done));
    }

    @Benchmark
    public void vertxLocalLockAsyncDelay(VertxLocalLocks vertx) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(TASKS);
        for (int t = 0; t < TASKS; t++) {
            vertxRound(vertx.sharedData(), ROUNDS, done);
        }
        done.await();
        data.expect(TASKS * ROUNDS);
    }

    private void vertxRound(SharedData sharedData, int left, CountDownLatch done) {
        if (left == 0) {
            done.countDown();
            return;
        }
        sharedData.withLocalLock(VertxLocalLocks.LOCK, () -> {
                    data.increment();
                    return Future.fromCompletionStage(delay.millis(HOLD_MILLIS));
                })
                .onComplete(ignored -> vertxRound(sharedData, left - 1, done));
    }

    @Benchmark
    public void guavaExecutionSequencerAsyncDelay() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(TASKS);
        for (int t = 0; t < TASKS; t++) {
            guavaRound(ROUNDS, done);
        }
        done.await();
        data.expect(TASKS * ROUNDS);
    }

    private void guavaRound(int left, CountDownLatch done) {
        if (left == 0) {
            done.countDown();
            return;
        }
        guavaSequencer.submitAsync(() -> {
                    data.increment();
                    SettableFuture<Void> elapsed = SettableFuture.create();
                    delay.millis(HOLD_MILLIS).thenRun(() -> elapsed.set(null));
                    return elapsed;
                }, MoreExecutors.directExecutor())
                .addListener(() -> guavaRound(left - 1, done), MoreExecutors.directExecutor());
    }

    @Benchmark
    public void asyncMutexWithLockAsyncDelay() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(TASKS);
        for (int t = 0; t < TASKS; t++) {
            withLockRound(ROUNDS, done);
        }
        done.await();
        data.expect(TASKS * ROUNDS);
    }

    private void withLockRound(int left, CountDownLatch done) {
        if (left == 0) {
            done.countDown();
            return;
        }
        asyncMutex.withLock(() -> {
                    data.increment();
                    return delay.millis(HOLD_MILLIS);
                })
                .thenRun(() -> withLockRound(left - 1, done));
    }
}
