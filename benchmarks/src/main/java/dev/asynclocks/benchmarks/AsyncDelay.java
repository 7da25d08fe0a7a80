package dev.asynclocks.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A non-blocking wait: a future completed on a timer thread after a delay, standing in for the I/O
 * an async "logic" critical section waits for. Continuations of the future run on the timer thread.
 *
 * {@snippet :
 * try (AsyncDelay delay = new AsyncDelay()) {
 *     mutex.withLock(() -> delay.millis(1)).toCompletableFuture().join();
 * }
 * }
 */
final class AsyncDelay implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "async-delay-timer");
        thread.setDaemon(true);
        return thread;
    });

    /** @return a future completing {@code millis} milliseconds from now */
    CompletableFuture<Void> millis(long millis) {
        CompletableFuture<Void> elapsed = new CompletableFuture<>();
        timer.schedule(() -> elapsed.complete(null), millis, TimeUnit.MILLISECONDS);
        return elapsed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
