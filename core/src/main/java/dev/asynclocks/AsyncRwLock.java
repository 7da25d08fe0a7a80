package dev.asynclocks;

import dev.asynclocks.internal.HandOffSemaphore;
import dev.asynclocks.internal.LockMonitor;
import dev.asynclocks.internal.LockOptions;
import dev.asynclocks.internal.PermitLock;
import dev.asynclocks.internal.UpgradableReadLock;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

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
 * <p><b>Upgradable reads</b> are for "read to check, then write to update" without a gap: at most
 * one {@link #upgradableReadLock()} hold at a time shares the lock with plain readers and excludes
 * writers; {@link #upgrade(Guard)} (or {@link #lockUpgrade(Guard)} on a thread) waits for the plain
 * readers to leave and turns it into the write hold, so no writer can slip in between.
 * {@link #downgradeToUpgradable(Guard)} goes back down, {@link #downgrade(Guard)} to a plain read.
 *
 * {@snippet :
 * try (Guard check = routesLock.upgradableReadLock().lock()) {   // readers still get in
 *     if (routes.containsKey(host)) {
 *         return;                                              // nothing to change: no write hold taken
 *     }
 *     try (Guard write = routesLock.lockUpgrade(check)) {      // waits for the readers to leave
 *         routes.put(host, backend);                           // nobody changed it since the check
 *     }
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
    private final UpgradableReadLock upgradableReadLock;

    /** Creates a free read-write lock whose granted continuations run on the releasing thread. */
    public AsyncRwLock() {
        this(LockOptions.DEFAULT);
    }

    private AsyncRwLock(LockOptions options) {
        this.maxReaders = MAX_READERS;
        this.engine = new HandOffSemaphore("AsyncRwLock", maxReaders, options);
        this.readLock = new PermitLock(engine, 1);
        this.writeLock = new PermitLock(engine, maxReaders);
        this.upgradableReadLock = new UpgradableReadLock(engine);
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
     * The upgradable read side: a read hold that {@link #upgrade(Guard)} can turn into the write
     * hold without letting anyone else write in between. At most one upgradable hold exists at a
     * time: it shares the lock with plain readers, and excludes writers and other upgradable
     * holds (so two upgraders can never wait for each other). Its acquisitions are served in the
     * one FIFO queue with everyone else's, and every acquisition style works as on the other views
     * ({@link AsyncLock}: cancellation, timeouts and interruption are decided by the grant).
     *
     * <p>Only guards from this view can be upgraded. Releasing one ends the upgradable hold; an
     * upgraded one counts as released (its permits are the write guard's now).
     *
     * <p>With {@code -Ddev.asynclocks.maxReaders=2} an upgradable hold also excludes plain readers
     * (it needs more than half of the permits); with the default, up to 2<sup>29</sup> - 1 plain
     * readers share the lock with it.
     *
     * {@snippet :
     * Guard check = routesLock.upgradableReadLock().lock();
     * }
     *
     * @return the upgradable read view; the same object on every call
     */
    public AsyncLock upgradableReadLock() {
        return upgradableReadLock;
    }

    /**
     * Upgrades an upgradable read hold to the write hold, asynchronously: the returned stage
     * completes with the write guard once the plain readers that hold the lock now have left.
     * The upgradable hold never leaves meanwhile, so no writer (and no other upgradable hold) can
     * get in between the check made under it and the write. Plain readers that arrive while the
     * upgrade waits queue behind it; the upgrade itself goes ahead of everyone queued (all of them
     * wait for the upgradable hold anyway, so it could not wait behind them).
     *
     * <p>Once granted, the upgradable guard counts as released (releasing it is a no-op) and the
     * write guard holds the whole lock; {@link #downgradeToUpgradable(Guard)} or
     * {@link #downgrade(Guard)} go back down.
     *
     * <p><b>Cancellation:</b> cancelling the stage before the grant withdraws the upgrade, and the
     * upgradable hold is still held, by the same guard, ready to upgrade again or release; after
     * the grant the cancel returns {@code false} and the write guard is delivered. The grant
     * decides every race. <b>Closing</b> the lock fails a waiting upgrade with
     * {@link LockClosedException}, the upgradable hold still held. Releasing the upgradable guard
     * while its upgrade waits lets the upgrade decide: granted, the write guard holds everything;
     * withdrawn, the permits go back to the lock.
     *
     * <p><b>Memory effects:</b> as for an acquisition of the write lock.
     *
     * {@snippet :
     * CompletionStage<Void> done = routesLock.upgradableReadLock().acquire().thenCompose(check -> {
     *     if (routes.containsKey(host)) {
     *         check.release();
     *         return CompletableFuture.completedFuture(null);
     *     }
     *     return routesLock.upgrade(check).thenAccept(write -> {
     *         try (write) {
     *             routes.put(host, backend);
     *         }
     *     });
     * });
     * }
     *
     * @param upgradableGuard a live guard of this lock's {@link #upgradableReadLock()}, not being
     *                        upgraded already
     * @return a stage completed with the write guard
     * @throws NullPointerException if {@code upgradableGuard} is null
     * @throws IllegalArgumentException if it is not a live upgradable guard of this lock, or an
     *                                  upgrade of it is under way; nothing changes then
     */
    public CompletionStage<Guard> upgrade(Guard upgradableGuard) {
        return upgradableReadLock.upgrade(upgradableGuard, null);
    }

    /**
     * {@link #upgrade(Guard)}, giving up after {@code timeout}: the stage then fails with
     * {@link TimeoutException} and the upgradable hold is still held, by the same guard. A zero
     * timeout upgrades only if no plain reader holds the lock now. The timeout is the lock's own:
     * only a timeout that withdrew the upgrade fails it (an upgrade granted at the same instant is
     * delivered).
     *
     * {@snippet :
     * routesLock.upgrade(check, Duration.ofMillis(100));
     * }
     *
     * @param upgradableGuard a live guard of this lock's {@link #upgradableReadLock()}
     * @param timeout         how long to wait for the plain readers; zero means do not wait
     * @return a stage completed with the write guard, or failed with {@link TimeoutException}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code timeout} is negative, or {@code upgradableGuard}
     *                                  is not a live upgradable guard of this lock, or an upgrade of
     *                                  it is under way; nothing changes then
     */
    public CompletionStage<Guard> upgrade(Guard upgradableGuard, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return upgradableReadLock.upgrade(upgradableGuard, timeout);
    }

    /**
     * {@link #upgrade(Guard)}, parking the calling thread (a virtual thread's carrier is free
     * meanwhile) until the write guard is granted.
     *
     * <p><b>Interruption:</b> an interrupt before the grant withdraws the upgrade and throws
     * {@link InterruptedException}; the upgradable hold is still held. If the grant came first,
     * it stands: the write guard is returned and the thread's interrupt status stays set.
     *
     * {@snippet :
     * try (Guard write = routesLock.lockUpgrade(check)) {
     *     routes.put(host, backend);
     * }
     * }
     *
     * @param upgradableGuard a live guard of this lock's {@link #upgradableReadLock()}
     * @return the write guard
     * @throws InterruptedException if interrupted before the grant; the upgradable hold stays held
     * @throws LockClosedException if the lock is closed before the grant; the upgradable hold stays held
     * @throws NullPointerException if {@code upgradableGuard} is null
     * @throws IllegalArgumentException if it is not a live upgradable guard of this lock, or an
     *                                  upgrade of it is under way
     */
    public Guard lockUpgrade(Guard upgradableGuard) throws InterruptedException {
        try {
            return upgradableReadLock.lockUpgrade(upgradableGuard, null);
        } catch (TimeoutException impossible) {
            throw new AssertionError("an upgrade without a timeout timed out", impossible);
        }
    }

    /**
     * {@link #lockUpgrade(Guard)}, giving up after {@code timeout}: then it throws
     * {@link TimeoutException} and the upgradable hold is still held, by the same guard.
     *
     * {@snippet :
     * try (Guard write = routesLock.lockUpgrade(check, Duration.ofSeconds(1))) {
     *     routes.put(host, backend);
     * }
     * }
     *
     * @param upgradableGuard a live guard of this lock's {@link #upgradableReadLock()}
     * @param timeout         how long to wait for the plain readers; zero means do not wait
     * @return the write guard
     * @throws InterruptedException if interrupted before the grant; the upgradable hold stays held
     * @throws TimeoutException if not granted in time; the upgradable hold stays held
     * @throws LockClosedException if the lock is closed before the grant; the upgradable hold stays held
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code timeout} is negative, or {@code upgradableGuard}
     *                                  is not a live upgradable guard of this lock, or an upgrade of
     *                                  it is under way
     */
    public Guard lockUpgrade(Guard upgradableGuard, Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        return upgradableReadLock.lockUpgrade(upgradableGuard, timeout);
    }

    /**
     * Atomically turns a write hold into an upgradable read hold: no writer can enter in between,
     * and plain readers queued at the head are admitted at once. The write guard counts as released
     * afterwards. Never waits.
     *
     * {@snippet :
     * Guard check = routesLock.downgradeToUpgradable(write);   // readers back in, still no writer
     * }
     *
     * @param writeGuard a live guard of this lock's write hold (from {@link #writeLock()} or an upgrade)
     * @return the guard of the new upgradable read hold
     * @throws NullPointerException if {@code writeGuard} is null
     * @throws IllegalArgumentException if {@code writeGuard} is not a live write guard of this
     *                                  lock; nothing changes then
     */
    public Guard downgradeToUpgradable(Guard writeGuard) {
        return upgradableReadLock.downgradeToUpgradable(writeGuard);
    }

    /**
     * Atomically turns a write hold into a read hold: no writer can enter in between. Readers
     * waiting at the head of the queue are admitted at once; a writer at the head keeps waiting
     * for the new read hold (and every other) to end.
     *
     * <p>The write guard counts as released afterwards: releasing it again is a no-op.
     *
     * @param writeGuard a live guard of this lock's write hold (from {@link #writeLock()} or an upgrade)
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
     * The number of read holds, an upgradable one counting as one. A snapshot, for monitoring:
     * an upgradable read granted to {@code acquire()} counts as many readers as it has permits
     * until its stage is delivered (an instant, unless the builder's executor delays it).
     *
     * @return the number of live read guards; zero while a writer holds the lock
     */
    public int readers() {
        return upgradableReadLock.readers();
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
