package dev.asynclocks;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Test-side adapter: {@code permits} permits of an {@link AsyncSemaphore}, seen as an
 * {@link AsyncLock}, so that the lock contract runs against the semaphore too. With
 * {@code 2 * permits > total} two holds exclude each other.
 *
 * <p>The library's own view, {@link AsyncSemaphore#asLock(int)}, has its contract suites
 * ({@link SemaphoreAsLockContractTest}); this adapter keeps the contract running through the
 * semaphore's own {@code n}-permit methods ({@code acquire(n)}, {@code lock(n)},
 * {@code withPermits(n, ...)}).
 */
record SemaphoreAsLock(AsyncSemaphore semaphore, int permits) implements AsyncLock {

    @Override
    public CompletionStage<Guard> acquire() {
        return semaphore.acquire(permits);
    }

    @Override
    public CompletionStage<Guard> acquire(Duration timeout) {
        return semaphore.acquire(permits, timeout);
    }

    @Override
    public Optional<Guard> tryAcquire() {
        return semaphore.tryAcquire(permits);
    }

    @Override
    public Guard lock() throws InterruptedException {
        return semaphore.lock(permits);
    }

    @Override
    public Guard lock(Duration timeout) throws InterruptedException, TimeoutException {
        return semaphore.lock(permits, timeout);
    }

    @Override
    public <T> CompletionStage<T> withLock(Supplier<? extends CompletionStage<T>> action) {
        return semaphore.withPermits(permits, action);
    }
}
