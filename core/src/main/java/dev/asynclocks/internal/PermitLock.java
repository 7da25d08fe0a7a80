package dev.asynclocks.internal;

import dev.asynclocks.AsyncLock;
import dev.asynclocks.Guard;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * An {@link AsyncLock} that is a fixed number of permits of a {@link HandOffSemaphore}: the mutex
 * (1 of 1), and the read (1 of max) and write (max of max) views of the read-write lock.
 *
 * {@snippet :
 * AsyncLock read = new PermitLock(engine, 1);
 * }
 */
public final class PermitLock implements AsyncLock {

    private final HandOffSemaphore engine;
    private final int permits;

    /**
     * @param engine  the engine the permits come from
     * @param permits permits per acquisition, from 1 to the engine's total
     */
    public PermitLock(HandOffSemaphore engine, int permits) {
        this.engine = engine;
        this.permits = permits;
    }

    @Override
    public CompletionStage<Guard> acquire() {
        return engine.acquire(permits);
    }

    @Override
    public CompletionStage<Guard> acquire(Duration timeout) {
        return engine.acquire(permits, timeout);
    }

    @Override
    public Optional<Guard> tryAcquire() {
        return engine.tryAcquire(permits);
    }

    @Override
    public Guard lock() throws InterruptedException {
        return engine.lock(permits);
    }

    @Override
    public Guard lock(Duration timeout) throws InterruptedException, TimeoutException {
        return engine.lock(permits, timeout);
    }

    @Override
    public <T> CompletionStage<T> withLock(Supplier<? extends CompletionStage<T>> action) {
        return engine.withLock(permits, action);
    }

    @Override
    public String toString() {
        return "PermitLock[" + permits + " of " + engine + "]";
    }
}
