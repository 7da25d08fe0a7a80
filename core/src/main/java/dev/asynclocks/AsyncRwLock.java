package dev.asynclocks;

import dev.asynclocks.internal.HandOffSemaphore;
import dev.asynclocks.internal.LockMonitor;
import dev.asynclocks.internal.LockOptions;
import dev.asynclocks.internal.PermitLock;

import java.util.Objects;

/**
 * A fair read-write lock: many readers or one writer, served in one FIFO queue.
 *
 * <p><b>Fairness.</b> Readers and writers queue together, in arrival order. A reader that arrives
 * while a writer waits queues behind that writer, so writers are never starved; consecutive readers
 * at the head of the queue are admitted together; a writer excludes everybody. {@code tryAcquire}
 * on either view never barges past a waiter.
 *
 * <p><b>Not reentrant.</b> A reader that acquires the read lock again while a writer waits
 * deadlocks: its second read queues behind the writer, and the writer waits for its first read.
 * Take the read lock once per section and pass the guard down.
 *
 * <p>Both views are {@link AsyncLock}s, so every acquisition style (async, timed, try, parked, and
 * {@code withLock}) works for readers and writers alike, with the cancellation, timeout and
 * interruption guarantees documented there.
 *
 * {@snippet :
 * AsyncRwLock routesLock = new AsyncRwLock();
 *
 * try (Guard read = routesLock.readLock().lock()) {          // many readers at once
 *     return routes.get(host);
 * }
 *
 * try (Guard write = routesLock.writeLock().lock()) {        // one writer, nobody else
 *     routes.put(host, backend);
 * }
 * }
 *
 * <p>Internally the lock is a semaphore of {@code maxReaders} permits: a read takes one, a write
 * takes all (as tokio's {@code RwLock}). Readers beyond {@code maxReaders} (2<sup>30</sup> unless
 * the system property {@code dev.asynclocks.maxReaders} says otherwise) wait like writers.
 */
public final class AsyncRwLock {

    private static final int MAX_READERS = readMaxReaders();

    private final HandOffSemaphore engine;
    private final int maxReaders;
    private final PermitLock readLock;
    private final PermitLock writeLock;

    /** Creates a free read-write lock whose granted continuations run on the releasing thread. */
    public AsyncRwLock() {
        this(LockOptions.DEFAULT);
    }

    private AsyncRwLock(LockOptions options) {
        this.maxReaders = MAX_READERS;
        this.engine = new HandOffSemaphore("AsyncRwLock", maxReaders, options);
        this.readLock = new PermitLock(engine, 1);
        this.writeLock = new PermitLock(engine, maxReaders);
    }

    private static int readMaxReaders() {
        int value = Integer.getInteger("dev.asynclocks.maxReaders", 1 << 30);
        if (value < 2 || value > HandOffSemaphore.MAX_PERMITS) {
            throw new IllegalStateException("dev.asynclocks.maxReaders must be between 2 and "
                    + HandOffSemaphore.MAX_PERMITS + ", is " + value);
        }
        return value;
    }

    /**
     * Starts a builder for a read-write lock with options.
     *
     * {@snippet :
     * AsyncRwLock lock = AsyncRwLock.builder().name("routes").build();
     * }
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The shared side: any number of readers hold it together while no writer does.
     *
     * @return the read view; the same object on every call
     */
    public AsyncLock readLock() {
        return readLock;
    }

    /**
     * The exclusive side: a writer holds it alone.
     *
     * @return the write view; the same object on every call
     */
    public AsyncLock writeLock() {
        return writeLock;
    }

    /**
     * Atomically turns a write hold into a read hold: no writer can enter in between. Readers
     * waiting at the head of the queue are admitted at once; a writer at the head keeps waiting
     * for the new read hold (and every other) to end.
     *
     * <p>The write guard counts as released afterwards: releasing it again is a no-op.
     *
     * @param writeGuard a live guard of this lock's {@link #writeLock()}
     * @return the guard of the new read hold
     * @throws NullPointerException if {@code writeGuard} is null
     * @throws IllegalArgumentException if {@code writeGuard} is not a live write guard of this lock
     *                                  (a read guard, a released guard, another lock's guard); nothing
     *                                  changes then
     */
    public Guard downgrade(Guard writeGuard) {
        Objects.requireNonNull(writeGuard, "writeGuard");
        return engine.downgrade(writeGuard, maxReaders, 1);
    }

    /**
     * The number of read holds. A snapshot, for monitoring.
     *
     * @return the number of live read guards; zero while a writer holds the lock
     */
    public int readers() {
        return engine.sharedHeldPermits();
    }

    /**
     * Tells whether a writer holds the lock. A snapshot, for monitoring.
     *
     * @return {@code true} if a write guard is live
     */
    public boolean isWriteLocked() {
        return engine.isHeldExclusively();
    }

    /**
     * The number of acquisitions, read or write, waiting in the queue. An estimate for
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
     * Closes this read-write lock, both views, for good (a shutdown, or the resource it guards is
     * gone). Every acquisition waiting now fails at once with a {@link LockClosedException} that
     * names this read-write lock and carries {@code cause}: an {@code acquire()} stage completes exceptionally with it (its
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
     * routesLock.close(new IllegalStateException("shutting down"));
     * routesLock.isClosed(); // true; every acquisition now fails with LockClosedException
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

    /**
     * @return the name and state, as in {@code AsyncRwLock 'routes' [read by 3, 1 queued]},
     *         {@code [write-locked]}, {@code [free]} or {@code [free, closed]}
     */
    @Override
    public String toString() {
        int readers = readers();
        int queued = queueLength();
        String state = isWriteLocked() ? "write-locked" : readers > 0 ? "read by " + readers : "free";
        return "AsyncRwLock '" + engine.name() + "' [" + state + (queued > 0 ? ", " + queued + " queued" : "")
                + (isClosed() ? ", closed" : "") + "]";
    }

    /**
     * Options for an {@link AsyncRwLock}: those of every {@link LockBuilder}. Not thread-safe;
     * each {@link #build()} makes a new lock.
     *
     * {@snippet :
     * AsyncRwLock lock = AsyncRwLock.builder().name("routes").executor(executor).build();
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
         * Builds the read-write lock.
         *
         * @return a new, free read-write lock with these options
         */
        public AsyncRwLock build() {
            return new AsyncRwLock(options());
        }
    }
}
