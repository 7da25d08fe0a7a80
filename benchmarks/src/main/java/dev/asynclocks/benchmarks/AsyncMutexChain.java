package dev.asynclocks.benchmarks;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AsyncChain} on an {@link AsyncMutex}: {@code acquire()}, or {@code acquire(timeout)} when
 * a timeout is given. Our engine runs the chain on the releasing thread, as a loop.
 *
 * {@snippet :
 * AsyncMutexChain.run(new AsyncMutex(), Duration.ofSeconds(30), 1_000, 1_000, new DataSection());
 * }
 */
final class AsyncMutexChain extends CompletableFutureChain<Guard> {

    private final AsyncMutex mutex;
    /** Every acquisition's timeout, or null for none. */
    private final Duration timeout;

    private AsyncMutexChain(Run run, AsyncMutex mutex, Duration timeout) {
        super(run);
        this.mutex = mutex;
        this.timeout = timeout;
    }

    static void run(AsyncMutex mutex, Duration timeout, int tasks, int rounds, DataSection data)
            throws InterruptedException {
        Guard gate = mutex.tryAcquire().orElseThrow();
        AsyncChain.run(tasks, rounds, data, gate::release, run -> new AsyncMutexChain(run, mutex, timeout));
    }

    @Override
    CompletableFuture<Guard> acquire() {
        return (timeout == null ? mutex.acquire() : mutex.acquire(timeout)).toCompletableFuture();
    }

    @Override
    void release(Guard guard) {
        guard.release();
    }
}
