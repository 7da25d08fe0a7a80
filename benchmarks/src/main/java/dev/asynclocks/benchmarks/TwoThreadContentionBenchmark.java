package dev.asynclocks.benchmarks;

import com.ibm.asyncutil.locks.AsyncLock.LockToken;
import com.ibm.asyncutil.locks.FairAsyncLock;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import kotlinx.coroutines.sync.Mutex;
import kotlinx.coroutines.sync.MutexKt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Scenario 2: two platform threads take turns on one lock around a one-increment section. The
 * score is the time per acquire+release as seen by each thread. Baseline: {@link #reentrantLock}.
 *
 * <p>Strict FIFO locks (ours, fair {@code ReentrantLock}, IBM) hand the lock to the parked other
 * thread on every release, so each operation pays a park and an unpark; barging locks let the
 * running thread take the lock again and are much faster here. The kotlinx {@code Mutex} has no
 * blocking entry point callable from Java, so it is driven by spinning on {@code tryLock}: a
 * barging spin lock, reported for completeness.
 *
 * {@snippet lang=shell :
 * java -jar benchmarks/target/benchmarks.jar TwoThreadContentionBenchmark -prof gc
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TwoThreadContentionBenchmark {

    private final DataSection data = new DataSection();

    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final ReentrantLock reentrantLockFair = new ReentrantLock(true);
    private final ReentrantReadWriteLock readWriteLock = new ReentrantReadWriteLock();
    private final Semaphore semaphore = new Semaphore(1);
    private final StampedLock stampedLock = new StampedLock();
    private final FairAsyncLock ibmLock = new FairAsyncLock();
    private final Mutex kotlinxMutex = MutexKt.Mutex(false);
    private final AsyncMutex asyncMutex = new AsyncMutex();

    @Benchmark
    public void reentrantLock() {
        reentrantLock.lock();
        try {
            data.increment();
        } finally {
            reentrantLock.unlock();
        }
    }

    @Benchmark
    public void reentrantLockFair() {
        reentrantLockFair.lock();
        try {
            data.increment();
        } finally {
            reentrantLockFair.unlock();
        }
    }

    @Benchmark
    public void reentrantReadWriteLockWrite() {
        readWriteLock.writeLock().lock();
        try {
            data.increment();
        } finally {
            readWriteLock.writeLock().unlock();
        }
    }

    @Benchmark
    public void semaphore() throws InterruptedException {
        semaphore.acquire();
        try {
            data.increment();
        } finally {
            semaphore.release();
        }
    }

    @Benchmark
    public void stampedLockWrite() {
        long stamp = stampedLock.writeLock();
        try {
            data.increment();
        } finally {
            stampedLock.unlockWrite(stamp);
        }
    }

    @Benchmark
    public void ibmFairAsyncLock() {
        LockToken token = ibmLock.acquireLock().toCompletableFuture().join();
        try {
            data.increment();
        } finally {
            token.releaseLock();
        }
    }

    @Benchmark
    public void kotlinxMutexTryLockSpin() {
        while (!kotlinxMutex.tryLock(null)) {
            Thread.onSpinWait();
        }
        try {
            data.increment();
        } finally {
            kotlinxMutex.unlock(null);
        }
    }

    @Benchmark
    public void asyncMutexAcquire() {
        Guard guard = asyncMutex.acquire().toCompletableFuture().join();
        try {
            data.increment();
        } finally {
            guard.release();
        }
    }

    @Benchmark
    public void asyncMutexLock() throws InterruptedException {
        Guard guard = asyncMutex.lock();
        try {
            data.increment();
        } finally {
            guard.release();
        }
    }
}
