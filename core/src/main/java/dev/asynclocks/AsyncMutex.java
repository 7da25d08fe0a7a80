package dev.asynclocks;

import dev.asynclocks.internal.HandOffSemaphore;
import dev.asynclocks.internal.LockMonitor;
import dev.asynclocks.internal.LockOptions;
import dev.asynclocks.internal.PermitLock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A fair, non-reentrant mutual-exclusion lock for virtual threads and {@code CompletionStage} code.
 *
 * <p>At most one {@link Guard} is live at a time. Waiters are served strictly first-come,
 * first-served (see {@link AsyncLock} for fairness, cancellation and where continuations run). A
 * hold may span asynchronous work, since a guard may be released by any thread.
 *
 * {@snippet :
 * AsyncMutex mutex = new AsyncMutex();
 *
 * // A "data" critical section on a virtual thread: park, update, release.
 * try (Guard guard = mutex.lock()) {
 *     balance += amount;
 * }
 *
 * // A "logic" critical section: hold the lock across asynchronous I/O.
 * CompletionStage<Route> route = mutex.withLock(() -> routes.refreshAsync());
 * }
 *
 * <p>Internally a mutex is a {@linkplain AsyncSemaphore semaphore} with one permit: both share one
 * queue and hand-off engine.
 */
public final class AsyncMutex implements AsyncLock {

    private final HandOffSemaphore engine;
    private final PermitLock lock;

    /** Creates a free mutex whose granted continuations run on the releasing thread. */
    public AsyncMutex() {
        this(LockOptions.DEFAULT);
    }

    private AsyncMutex(LockOptions options) {
        this.engine = new HandOffSemaphore("AsyncMutex", 1, options);
        this.lock = new PermitLock(engine, 1);
    }

    /**
     * Starts a builder for a mutex with options.
     *
     * {@snippet :
     * AsyncMutex routesLock = AsyncMutex.builder().name("routes").executor(executor).build();
     * }
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<Guard> acquire() {
        return lock.acquire();
    }

    @Override
    public CompletionStage<Guard> acquire(Duration timeout) {
        return lock.acquire(timeout);
    }

    @Override
    public Optional<Guard> tryAcquire() {
        return lock.tryAcquire();
    }

    @Override
    public Guard lock() throws InterruptedException {
        return lock.lock();
    }

    @Override
    public Guard lock(Duration timeout) throws InterruptedException, TimeoutException {
        return lock.lock(timeout);
    }

    @Override
    public <T> CompletionStage<T> withLock(Supplier<? extends CompletionStage<T>> action) {
        return lock.withLock(action);
    }

    /**
     * Tells whether the mutex is held (or being handed to the head waiter). A snapshot, for
     * monitoring: it may be stale by the time it is read.
     *
     * @return {@code true} if some hold is live or a hand-off is under way
     */
    public boolean isLocked() {
        return !engine.isFree();
    }

    /**
     * The number of acquisitions waiting in the queue (cancelled ones excluded). An estimate for
     * monitoring, not for synchronization control (as {@code ReentrantLock.getQueueLength()}): while
     * several waiters are granted at once it may count them down one by one. It is never 0 while
     * somebody waits.
     *
     * @return the queue length, zero or more
     */
    public int queueLength() {
        return engine.queueLength();
    }

    /**
     * A snapshot of this lock's counters: acquisitions, contention, cancellations, timeouts,
     * queue lengths and wait times. Cheap (always on), but takes the queue's internal lock briefly;
     * meant for monitoring, not for a hot path.
     *
     * @return the counters since this lock was created
     */
    public LockStats stats() {
        return engine.stats();
    }

    /**
     * Closes this mutex for good (a shutdown, or the resource it guards is gone). Every acquisition
     * waiting now fails at once with a {@link LockClosedException} that names this mutex and
     * carries {@code cause}: an {@code acquire()} stage completes exceptionally with it (its
     * dependents run on this thread), a thread parked in {@code lock()} wakes and throws it. From
     * then on every acquisition fails the same way at once: {@code acquire} and
     * {@code withLock}-style methods return a failed stage, {@code lock} and {@code tryAcquire}
     * throw. There is no way to reopen it.
     *
     * <p>Live guards are not affected: releasing one (or downgrading it) works as before and grants
     * nobody. Closing again does nothing and keeps the first cause.
     *
     * <p><b>Races:</b> an acquisition granted before the close keeps its guard; one still queued
     * fails; never both. A cancel, timeout or interrupt racing with the close either withdraws the
     * acquisition first (the close never sees it) or loses to the close, whose
     * {@link LockClosedException} is then the outcome (a cancel returns {@code false}); a parked
     * thread interrupted at that instant throws {@link InterruptedException} instead.
     *
     * {@snippet :
     * mutex.close(new IllegalStateException("shutting down"));
     * mutex.isClosed(); // true; every acquisition now fails with LockClosedException
     * }
     *
     * @param cause why it is closed; the cause of every {@link LockClosedException} it throws
     * @return {@code true} if this call closed it; {@code false} if it was closed already
     * @throws NullPointerException if {@code cause} is null
     */
    public boolean close(Throwable cause) {
        return engine.close(cause);
    }

    /**
     * Tells whether {@link #close(Throwable)} has been called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return engine.isClosed();
    }

    /**
     * The name given by the builder, for metrics and logs.
     *
     * @return the name, or {@code "unnamed"}
     */
    public String name() {
        return engine.name();
    }

    /**
     * Binds an observer of this lock's wait times and hold times; see {@link LockObserver}.
     *
     * @param observer        the one observer of this lock until unbound
     * @param holdSampleEvery 1 to time every hold; N to time one hold in N
     */
    public void bind(LockObserver observer, int holdSampleEvery) {
        LockMonitor.bind(engine, observer, holdSampleEvery);
    }

    /**
     * Unbinds {@code observer} if it is the one bound; see {@link LockObserver}.
     *
     * @param observer the observer given to {@code bind}
     * @return {@code true} if it was bound; {@code false} if not, and nothing changed
     */
    public boolean unbind(LockObserver observer) {
        return LockMonitor.unbind(engine, observer);
    }

    /** @return the name and state, as in {@code AsyncMutex 'routes' [held, 2 queued]}, {@code [free]} or {@code [free, closed]} */
    @Override
    public String toString() {
        int queued = queueLength();
        String state = isLocked() ? "held" + (queued > 0 ? ", " + queued + " queued" : "") : "free";
        return "AsyncMutex '" + engine.name() + "' [" + state + (isClosed() ? ", closed" : "") + "]";
    }

    /**
     * Options for an {@link AsyncMutex}: those of every {@link LockBuilder}. Not thread-safe;
     * {@link #build()} may be called more than once, each time making a new mutex.
     *
     * {@snippet :
     * AsyncMutex mutex = AsyncMutex.builder().name("cache").build();
     * }
     */
    public static final class Builder extends LockBuilder<Builder> {

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the mutex.
         *
         * @return a new, free mutex with these options
         */
        public AsyncMutex build() {
            return new AsyncMutex(options());
        }
    }
}
