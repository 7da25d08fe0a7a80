package dev.asynclocks.benchmarks;

import com.ibm.asyncutil.locks.AsyncReadWriteLock.ReadLockToken;
import com.ibm.asyncutil.locks.AsyncReadWriteLock.WriteLockToken;
import com.ibm.asyncutil.locks.FairAsyncReadWriteLock;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Scenario 5, the proxy-router story: {@value #THREADS} virtual threads share a routes table of
 * {@value #ROUTES} entries, each making {@value #OPS_PER_THREAD} accesses, 95% lookups under a read
 * lock and 5% updates under the write lock (every 20th access, staggered per thread). One operation
 * is a whole run. Baseline: {@link #reentrantReadWriteLock}. Of the async peers only IBM has a
 * read-write lock (kotlinx.coroutines, Vert.x and Guava have none); ours runs both ways a
 * virtual thread can wait, {@code lock()} and {@code acquire().join()}.
 *
 * {@snippet lang=shell :
 * java -jar benchmarks/target/benchmarks.jar RoutesTableBenchmark -prof gc
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RoutesTableBenchmark {

    static final int THREADS = 1_000;
    static final int OPS_PER_THREAD = 200;
    static final int ROUTES = 1_000;
    static final int WRITE_EVERY = 20; // 5% writes
    static final long WRITES_PER_RUN = (long) THREADS * OPS_PER_THREAD / WRITE_EVERY;

    private RoutesTable routes;
    private ReentrantReadWriteLock reentrantReadWriteLock;
    private ReentrantReadWriteLock reentrantReadWriteLockFair;
    private StampedLock stampedLock;
    private FairAsyncReadWriteLock ibmReadWriteLock;
    private AsyncRwLock asyncRwLock;
    private AsyncMutex asyncMutex;

    @Setup(Level.Trial)
    public void setUp() {
        routes = new RoutesTable(ROUTES);
        reentrantReadWriteLock = new ReentrantReadWriteLock();
        reentrantReadWriteLockFair = new ReentrantReadWriteLock(true);
        stampedLock = new StampedLock();
        ibmReadWriteLock = new FairAsyncReadWriteLock();
        asyncRwLock = new AsyncRwLock();
        asyncMutex = new AsyncMutex();
    }

    private static boolean isWrite(int thread, int op) {
        return (op + thread) % WRITE_EVERY == 0;
    }

    private static int host(int thread, int op) {
        return (thread * 31 + op * 7) % ROUTES;
    }

    @Benchmark
    public void reentrantReadWriteLock(Blackhole blackhole) throws InterruptedException {
        runWith(reentrantReadWriteLock, blackhole);
    }

    @Benchmark
    public void reentrantReadWriteLockFair(Blackhole blackhole) throws InterruptedException {
        runWith(reentrantReadWriteLockFair, blackhole);
    }

    private void runWith(ReentrantReadWriteLock lock, Blackhole blackhole) throws InterruptedException {
        VirtualThreads.run(THREADS, thread -> {
            int sum = 0;
            for (int op = 0; op < OPS_PER_THREAD; op++) {
                if (isWrite(thread, op)) {
                    lock.writeLock().lock();
                    try {
                        routes.update(host(thread, op), op % ROUTES);
                    } finally {
                        lock.writeLock().unlock();
                    }
                } else {
                    lock.readLock().lock();
                    try {
                        sum += routes.lookup(host(thread, op));
                    } finally {
                        lock.readLock().unlock();
                    }
                }
            }
            blackhole.consume(sum);
        });
        routes.expectUpdates(WRITES_PER_RUN);
    }

    /** The JDK's other read-write lock: not reentrant, not fair, and no optimistic reads here. */
    @Benchmark
    public void stampedLock(Blackhole blackhole) throws InterruptedException {
        VirtualThreads.run(THREADS, thread -> {
            int sum = 0;
            for (int op = 0; op < OPS_PER_THREAD; op++) {
                if (isWrite(thread, op)) {
                    long stamp = stampedLock.writeLock();
                    try {
                        routes.update(host(thread, op), op % ROUTES);
                    } finally {
                        stampedLock.unlockWrite(stamp);
                    }
                } else {
                    long stamp = stampedLock.readLock();
                    try {
                        sum += routes.lookup(host(thread, op));
                    } finally {
                        stampedLock.unlockRead(stamp);
                    }
                }
            }
            blackhole.consume(sum);
        });
        routes.expectUpdates(WRITES_PER_RUN);
    }

    /** IBM's lock has no blocking entry point: a virtual thread joins the acquisition's future. */
    @Benchmark
    public void ibmFairAsyncReadWriteLockJoin(Blackhole blackhole) throws InterruptedException {
        VirtualThreads.run(THREADS, thread -> {
            int sum = 0;
            for (int op = 0; op < OPS_PER_THREAD; op++) {
                if (isWrite(thread, op)) {
                    WriteLockToken token = ibmReadWriteLock.acquireWriteLock().toCompletableFuture().join();
                    try {
                        routes.update(host(thread, op), op % ROUTES);
                    } finally {
                        token.releaseLock();
                    }
                } else {
                    ReadLockToken token = ibmReadWriteLock.acquireReadLock().toCompletableFuture().join();
                    try {
                        sum += routes.lookup(host(thread, op));
                    } finally {
                        token.releaseLock();
                    }
                }
            }
            blackhole.consume(sum);
        });
        routes.expectUpdates(WRITES_PER_RUN);
    }

    @Benchmark
    public void asyncRwLockLock(Blackhole blackhole) throws InterruptedException {
        VirtualThreads.run(THREADS, thread -> {
            int sum = 0;
            for (int op = 0; op < OPS_PER_THREAD; op++) {
                if (isWrite(thread, op)) {
                    try (Guard guard = asyncRwLock.writeLock().lock()) {
                        routes.update(host(thread, op), op % ROUTES);
                    }
                } else {
                    try (Guard guard = asyncRwLock.readLock().lock()) {
                        sum += routes.lookup(host(thread, op));
                    }
                }
            }
            blackhole.consume(sum);
        });
        routes.expectUpdates(WRITES_PER_RUN);
    }

    /** What many users will write on a virtual thread: the async acquisition, joined. */
    @Benchmark
    public void asyncRwLockAcquireJoin(Blackhole blackhole) throws InterruptedException {
        VirtualThreads.run(THREADS, thread -> {
            int sum = 0;
            for (int op = 0; op < OPS_PER_THREAD; op++) {
                if (isWrite(thread, op)) {
                    try (Guard guard = asyncRwLock.writeLock().acquire().toCompletableFuture().join()) {
                        routes.update(host(thread, op), op % ROUTES);
                    }
                } else {
                    try (Guard guard = asyncRwLock.readLock().acquire().toCompletableFuture().join()) {
                        sum += routes.lookup(host(thread, op));
                    }
                }
            }
            blackhole.consume(sum);
        });
        routes.expectUpdates(WRITES_PER_RUN);
    }

    @Benchmark
    public void asyncMutexLock(Blackhole blackhole) throws InterruptedException {
        VirtualThreads.run(THREADS, thread -> {
            int sum = 0;
            for (int op = 0; op < OPS_PER_THREAD; op++) {
                try (Guard guard = asyncMutex.lock()) {
                    if (isWrite(thread, op)) {
                        routes.update(host(thread, op), op % ROUTES);
                    } else {
                        sum += routes.lookup(host(thread, op));
                    }
                }
            }
            blackhole.consume(sum);
        });
        routes.expectUpdates(WRITES_PER_RUN);
    }
}
