package dev.asynclocks.benchmarks;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Scenario 3, async side: {@code tasks} tasks each take an {@link AsyncMutex} {@code rounds} times,
 * every next acquisition made from the continuation of the previous one; no thread ever blocks.
 *
 * <p>All tasks queue while the caller holds the lock, so the releases form one FIFO chain; our
 * engine runs the chain on the releasing thread, as a loop. A task that finds its acquisition
 * already complete continues in a loop instead of recursing (the same driver for every contender).
 *
 * {@snippet :
 * AsyncMutexChain.run(new AsyncMutex(), 1_000, 1_000, new DataSection());
 * }
 */
final class AsyncMutexChain implements Consumer<Guard> {

    private final AsyncMutex mutex;
    private final DataSection data;
    private final CountDownLatch done;
    /** Rounds left; touched only by whoever holds the mutex. */
    private int remaining;

    private AsyncMutexChain(AsyncMutex mutex, DataSection data, CountDownLatch done, int rounds) {
        this.mutex = mutex;
        this.data = data;
        this.done = done;
        this.remaining = rounds;
    }

    static void run(AsyncMutex mutex, int tasks, int rounds, DataSection data) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(tasks);
        Guard gate = mutex.tryAcquire().orElseThrow();
        for (int i = 0; i < tasks; i++) {
            new AsyncMutexChain(mutex, data, done, rounds).next();
        }
        gate.release(); // runs the whole chain, here
        done.await();
        data.expect((long) tasks * rounds);
    }

    private void next() {
        while (remaining > 0) {
            CompletableFuture<Guard> acquisition = mutex.acquire().toCompletableFuture();
            if (!acquisition.isDone()) {
                acquisition.thenAccept(this);
                return;
            }
            section(acquisition.join());
        }
        done.countDown();
    }

    /** Continuation of a queued acquisition. */
    @Override
    public void accept(Guard guard) {
        section(guard);
        next();
    }

    private void section(Guard guard) {
        try {
            data.increment();
            remaining--;
        } finally {
            guard.release();
        }
    }
}
