package dev.asynclocks.benchmarks;

import com.google.common.util.concurrent.ExecutionSequencer;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.ibm.asyncutil.locks.AsyncLock.LockToken;
import com.ibm.asyncutil.locks.AsyncReadWriteLock.ReadLockToken;
import com.ibm.asyncutil.locks.FairAsyncLock;
import com.ibm.asyncutil.locks.FairAsyncReadWriteLock;
import com.ibm.asyncutil.locks.FairAsyncSemaphore;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import io.vertx.core.Future;
import io.vertx.core.shareddata.Lock;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Scenario 1: one thread acquires and releases a free lock, with a one-increment critical section.
 * Run with {@code -prof gc} for bytes per operation. Baseline: {@link #reentrantLock}.
 *
 * <p>The async acquisitions take their guard with {@code toCompletableFuture().join()}, which on a
 * completed future returns at once: what is measured is the acquisition and the release, not a
 * continuation. {@link #casPlusCompletedFuture} is the floor of any async lock that hands out a
 * fresh completed future: one CAS and one allocation.
 *
 * {@snippet lang=shell :
 * java -jar benchmarks/target/benchmarks.jar UncontendedBenchmark -prof gc
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class UncontendedBenchmark {

    private final DataSection data = new DataSection();

    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final ReentrantLock reentrantLockFair = new ReentrantLock(true);
    private final ReentrantReadWriteLock readWriteLock = new ReentrantReadWriteLock();
    private final Semaphore semaphore = new Semaphore(1);
    private final StampedLock stampedLock = new StampedLock();
    private final AtomicInteger casState = new AtomicInteger();

    private final FairAsyncLock ibmLock = new FairAsyncLock();
    private final FairAsyncReadWriteLock ibmReadWriteLock = new FairAsyncReadWriteLock();
    private final FairAsyncSemaphore ibmSemaphore = new FairAsyncSemaphore(1);
    private final Mutex kotlinxMutex = MutexKt.Mutex(false);
    private final ExecutionSequencer guavaSequencer = ExecutionSequencer.create();
    private final Callable<Void> incrementTask = () -> {
        data.increment();
        return null;
    };

    private final AsyncMutex asyncMutex = new AsyncMutex();
    private final AsyncMutex asyncMutexDetectingSelfDeadlock = AsyncMutex.builder().detectSelfDeadlock().build();
    private final AsyncRwLock asyncRwLock = new AsyncRwLock();
    private final AsyncSemaphore asyncSemaphore = new AsyncSemaphore(1);

    // ---- baselines: java.util.concurrent ---------------------------------------------------------

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
    public void reentrantReadWriteLockRead() {
        readWriteLock.readLock().lock();
        try {
            data.value();
        } finally {
            readWriteLock.readLock().unlock();
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

    /** The floor of an async lock handing out a new completed future: one CAS in, one out. */
    @Benchmark
    public CompletableFuture<Object> casPlusCompletedFuture() {
        if (!casState.compareAndSet(0, 1)) {
            throw new IllegalStateException();
        }
        CompletableFuture<Object> granted = CompletableFuture.completedFuture(this);
        data.increment();
        casState.set(0);
        return granted;
    }

    // ---- contenders: IBM async-util, kotlinx.coroutines, Vert.x, Guava ------------------------------

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
    public void ibmFairAsyncReadWriteLockRead() {
        ReadLockToken token = ibmReadWriteLock.acquireReadLock().toCompletableFuture().join();
        try {
            data.value();
        } finally {
            token.releaseLock();
        }
    }

    @Benchmark
    public void ibmFairAsyncSemaphore() {
        ibmSemaphore.acquire(1).toCompletableFuture().join();
        try {
            data.increment();
        } finally {
            ibmSemaphore.release(1);
        }
    }

    @Benchmark
    public void kotlinxMutexTryLock() {
        if (!kotlinxMutex.tryLock(null)) {
            throw new IllegalStateException("uncontended tryLock failed");
        }
        try {
            data.increment();
        } finally {
            kotlinxMutex.unlock(null);
        }
    }

    /**
     * The lock is free, so the future is complete on return: read with {@code result()}, as ours is
     * with {@code join()}. ({@code await()} on a thread of one's own goes through the event loop even
     * then, which costs several times more; scenario 3 measures it.)
     */
    @Benchmark
    public void vertxLocalLock(VertxLocalLocks vertx) {
        Future<Lock> acquisition = vertx.sharedData().getLocalLock(VertxLocalLocks.LOCK);
        Lock lock = acquisition.isComplete() ? acquisition.result() : acquisition.await();
        try {
            data.increment();
        } finally {
            lock.release();
        }
    }

    /** The sequencer is idle, so the task runs at once, on this thread. */
    @Benchmark
    public ListenableFuture<Void> guavaExecutionSequencer() {
        return guavaSequencer.submit(incrementTask, MoreExecutors.directExecutor());
    }

    // ---- ours ------------------------------------------------------------------------------------

    @Benchmark
    public void asyncMutexAcquire() {
        Guard guard = asyncMutex.acquire().toCompletableFuture().join();
        try {
            data.increment();
        } finally {
            guard.release();
        }
    }

    /**
     * {@link #asyncMutexAcquire} with the library's sampled leak detection off (it watches one hold
     * in 128 by default), to show what the sampling costs.
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Ddev.asynclocks.leakDetection=off"})
    public void asyncMutexAcquireNoLeakDetection() {
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

    /** What the opt-in self-deadlock check costs an uncontended lock(): a ThreadLocal and a wrapper. */
    @Benchmark
    public void asyncMutexLockSelfDeadlockDetection() throws InterruptedException {
        Guard guard = asyncMutexDetectingSelfDeadlock.lock();
        try {
            data.increment();
        } finally {
            guard.release();
        }
    }

    @Benchmark
    public void asyncMutexTryAcquire() {
        Guard guard = asyncMutex.tryAcquire().orElseThrow();
        try {
            data.increment();
        } finally {
            guard.release();
        }
    }

    @Benchmark
    public void asyncRwLockReadAcquire() {
        Guard guard = asyncRwLock.readLock().acquire().toCompletableFuture().join();
        try {
            data.value();
        } finally {
            guard.release();
        }
    }

    @Benchmark
    public void asyncRwLockWriteAcquire() {
        Guard guard = asyncRwLock.writeLock().acquire().toCompletableFuture().join();
        try {
            data.increment();
        } finally {
            guard.release();
        }
    }

    @Benchmark
    public void asyncSemaphoreAcquire() {
        Guard guard = asyncSemaphore.acquire(1).toCompletableFuture().join();
        try {
            data.increment();
        } finally {
            guard.release();
        }
    }
}
