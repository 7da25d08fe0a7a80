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
 * A fair, weighted semaphore: requests for any number of permits, served in FIFO order.
 *
 * <p>A request for {@code n} permits is granted when it is at the head of the queue and {@code n}
 * permits are free. A small request never overtakes a large one at the head: the head keeps the
 * permits that come free until it has enough. The {@link Guard} returned for a request gives all
 * of its permits back, once.
 *
 * <p><b>Capacity:</b> the total may change. A semaphore may start with 0 permits (a gate that
 * {@link #addPermits(int)} opens); {@code addPermits} puts new permits into circulation and grants
 * the queue with them in FIFO order; {@link #forgetPermits(int)} and {@link #drainPermits()} take
 * free permits out of circulation without a guard. {@link #totalPermits()} reports the permits in
 * circulation. A request for more permits than the total is not an error: it waits, at its place
 * in the queue (and the requests behind it with it), until permits are added, as with
 * {@link java.util.concurrent.Semaphore}.
 *
 * <p>Cancellation, timeouts, interruption and where continuations run are as for
 * {@link AsyncLock}; every method taking a count {@code n} behaves as the {@code AsyncLock} method
 * of the same name, for {@code n} permits. {@link AsyncMutex} and {@link AsyncRwLock} are built on
 * the same engine.
 *
 * {@snippet :
 * AsyncSemaphore connections = new AsyncSemaphore(10);
 * try (Guard guard = connections.lock(1)) {      // at most 10 calls in flight
 *     return client.send(request, handler);
 * }
 * }
 *
 * @see AsyncLock
 */
public final class AsyncSemaphore {

    private final HandOffSemaphore engine;

    /**
     * Creates a semaphore with {@code permits} free permits; continuations of granted waiters run
     * on the releasing thread.
     *
     * {@snippet :
     * AsyncSemaphore ready = new AsyncSemaphore(0);  // a gate: acquisitions wait
     * ready.acquire(1).thenAccept(guard -> serve()); // queued
     * ready.addPermits(1);                           // opens it: serve() runs
     * }
     *
     * @param permits the permits it starts with, 0 or more
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public AsyncSemaphore(int permits) {
        this(permits, LockOptions.DEFAULT);
    }

    private AsyncSemaphore(int permits, LockOptions options) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative, is " + permits);
        }
        this.engine = HandOffSemaphore.resizable("AsyncSemaphore", permits, options);
    }

    /**
     * Starts a builder for a semaphore with options.
     *
     * {@snippet :
     * AsyncSemaphore pool = AsyncSemaphore.builder(10).name("db").build();
     * }
     *
     * @param permits the permits it starts with, 0 or more
     * @return a new builder
     */
    public static Builder builder(int permits) {
        return new Builder(permits);
    }

    /**
     * Acquires {@code permits} permits asynchronously; as {@link AsyncLock#acquire()}.
     *
     * @param permits how many, at least 1 (more than the total waits for {@link #addPermits(int)})
     * @return a stage completed with the guard of the permits
     * @throws IllegalArgumentException if {@code permits} is less than 1
     */
    public CompletionStage<Guard> acquire(int permits) {
        return engine.acquire(checked(permits));
    }

    /**
     * Acquires {@code permits} permits asynchronously, giving up after {@code timeout}; as
     * {@link AsyncLock#acquire(Duration)}.
     *
     * @param permits how many, at least 1 (more than the total waits for {@link #addPermits(int)})
     * @param timeout how long to wait; zero means do not wait
     * @return a stage completed with the guard, or failed with {@link TimeoutException}
     * @throws IllegalArgumentException if {@code permits} is less than 1 or {@code timeout} negative
     * @throws NullPointerException if {@code timeout} is null
     */
    public CompletionStage<Guard> acquire(int permits, Duration timeout) {
        return engine.acquire(checked(permits), timeout);
    }

    /**
     * Takes {@code permits} permits only if they are free and nobody waits; as
     * {@link AsyncLock#tryAcquire()}.
     *
     * @param permits how many, at least 1 (more than the total waits for {@link #addPermits(int)})
     * @return the guard of the permits, or empty
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws LockClosedException if the semaphore is closed
     */
    public Optional<Guard> tryAcquire(int permits) {
        return engine.tryAcquire(checked(permits));
    }

    /**
     * Acquires {@code permits} permits, parking the calling (virtual) thread; as
     * {@link AsyncLock#lock()}.
     *
     * @param permits how many, at least 1 (more than the total waits for {@link #addPermits(int)})
     * @return the guard of the permits
     * @throws InterruptedException if the thread is interrupted first; nothing is left held
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws LockClosedException if the semaphore is closed before the grant (also while parked)
     * @throws IllegalStateException with {@link LockBuilder#detectSelfDeadlock()}, if only the
     *         calling thread's own permits could let this call through
     */
    public Guard lock(int permits) throws InterruptedException {
        return engine.lock(checked(permits));
    }

    /**
     * Acquires {@code permits} permits, parking the calling thread for at most {@code timeout}; as
     * {@link AsyncLock#lock(Duration)}.
     *
     * @param permits how many, at least 1 (more than the total waits for {@link #addPermits(int)})
     * @param timeout how long to wait; zero means do not wait
     * @return the guard of the permits
     * @throws InterruptedException if the thread is interrupted first; nothing is left held
     * @throws TimeoutException if the permits were not granted within {@code timeout}
     * @throws IllegalArgumentException if {@code permits} is less than 1 or {@code timeout} negative
     * @throws NullPointerException if {@code timeout} is null
     * @throws LockClosedException if the semaphore is closed before the grant (also while parked)
     * @throws IllegalStateException as for {@link #lock(int)}, with {@code detectSelfDeadlock()}
     */
    public Guard lock(int permits, Duration timeout) throws InterruptedException, TimeoutException {
        return engine.lock(checked(permits), timeout);
    }

    /**
     * Runs an asynchronous action while holding {@code permits} permits; as
     * {@link AsyncLock#withLock(Supplier)}.
     *
     * @param permits how many, at least 1 (more than the total waits for {@link #addPermits(int)})
     * @param action  supplies the stage that runs with the permits held
     * @param <T>     the action's result type
     * @return a stage completed as the action's stage completes, after the permits were returned
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws NullPointerException if {@code action} is null
     */
    public <T> CompletionStage<T> withPermits(int permits, Supplier<? extends CompletionStage<T>> action) {
        return engine.withLock(checked(permits), action);
    }

    /**
     * A view of this semaphore as an {@link AsyncLock} whose every acquisition takes
     * {@code permits} permits, and whose guards give them back. Two holds of the view exclude each
     * other when {@code 2 * permits} exceeds the total, so {@code asLock(total)} is a mutex over
     * the whole semaphore; smaller views are shared, as a read lock is.
     *
     * <p><b>Fairness:</b> the view's acquisitions join the semaphore's one FIFO queue, in order with
     * every other request on the semaphore (through this view, other views, or the semaphore's own
     * methods); a request at the head keeps the permits that come free until it has enough.
     *
     * <p><b>Cancellation, timeouts and interruption</b> are those of {@link AsyncLock}: cancelling a
     * queued acquisition's stage withdraws it, a timeout or an interrupt leaves the queue, and a
     * hold granted in a race with any of them is either delivered or given back, never lost.
     * Each method of the view behaves as the semaphore's method of the same name for
     * {@code permits} permits ({@code withLock} as {@link #withPermits(int, Supplier)}).
     *
     * {@snippet :
     * AsyncSemaphore budget = new AsyncSemaphore(8);
     * AsyncLock bigJob = budget.asLock(6);      // hand these to code that takes any AsyncLock
     * AsyncLock smallJob = budget.asLock(1);
     * }
     *
     * @param permits permits per acquisition, at least 1
     * @return a new view; views of the same semaphore share its permits and its queue
     * @throws IllegalArgumentException if {@code permits} is less than 1
     */
    public AsyncLock asLock(int permits) {
        return new PermitLock(engine, checked(permits));
    }

    /**
     * The number of free permits. While requests wait, these are permits held back for the head of
     * the queue. A snapshot, for monitoring.
     *
     * @return free permits, zero or more
     */
    public int availablePermits() {
        return engine.availablePermits();
    }

    /**
     * The permits in circulation: held and free. It starts at the count the semaphore was made
     * with and changes only by {@link #addPermits(int)}, {@link #forgetPermits(int)} and
     * {@link #drainPermits()}. A snapshot, for monitoring: while one of those runs it may count
     * the change a moment early (an addition) or late (a removal), never with the free permits
     * above it.
     *
     * @return the total, zero or more
     */
    public int totalPermits() {
        return engine.totalPermits();
    }

    /**
     * Puts {@code n} new permits into circulation (the total grows by {@code n}) and grants them
     * to the queue, from its head, in FIFO order, as far as they go; what is left stays free. This
     * is how a gate made with 0 permits opens, and how a pool grows. It never waits.
     *
     * <p>It is not a release: no guard is involved, and a guard's permits still go back when it is
     * released (adding its count again would raise the total). On a closed semaphore it adds the
     * permits and grants nobody.
     *
     * <p><b>Memory effects:</b> actions before {@code addPermits} happen-before the actions of an
     * acquisition it grants.
     *
     * {@snippet :
     * AsyncSemaphore workers = new AsyncSemaphore(4);
     * workers.addPermits(4);           // 8 may run now; the 4 longest-waiting requests first
     * }
     *
     * @param n how many permits to add, 0 or more (0 does nothing)
     * @throws IllegalArgumentException if {@code n} is negative, or if the total would exceed
     *         {@link Integer#MAX_VALUE}; nothing changes then
     */
    public void addPermits(int n) {
        engine.addPermits(n);
    }

    /**
     * Takes up to {@code n} of the free permits out of circulation: the total shrinks by as many as
     * were taken, and no guard is made for them. Free permits held back for a waiting request at
     * the head of the queue count as free and may be taken, so that request waits for more.
     * Permits that guards hold are not touched: to shrink below what is held now, forget the
     * permits after they come back. It never waits and grants nobody.
     *
     * {@snippet :
     * int taken = pool.forgetPermits(2);   // the pool shrinks by 'taken', at most 2
     * }
     *
     * @param n the most permits to take, 0 or more
     * @return how many were taken, from 0 to {@code n}
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public int forgetPermits(int n) {
        return engine.forgetPermits(n);
    }

    /**
     * Takes every free permit out of circulation, as {@link #forgetPermits(int)} with no bound
     * (as {@code drainPermits} of {@link java.util.concurrent.Semaphore}).
     *
     * {@snippet :
     * int drained = pool.drainPermits();   // nobody new gets in until addPermits
     * }
     *
     * @return how many were taken, 0 or more
     */
    public int drainPermits() {
        return engine.forgetPermits(Integer.MAX_VALUE);
    }

    /**
     * The number of requests waiting in the queue (cancelled ones excluded). An estimate for
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
     * Closes this semaphore for good (a shutdown, or the resource it guards is gone). Every acquisition
     * waiting now fails at once with a {@link LockClosedException} that names this semaphore and
     * carries {@code cause}: an {@code acquire(n)} stage completes exceptionally with it (its
     * dependents run on this thread), a thread parked in {@code lock(n)} wakes and throws it. From
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
     * pool.close(new IllegalStateException("shutting down"));
     * pool.isClosed(); // true; every acquisition now fails with LockClosedException
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
     * @return the name and state, as in {@code AsyncSemaphore 'db' [held 7 of 10, 2 queued]} or
     *         {@code [free, 10 permits]} (and {@code , closed} once closed)
     */
    @Override
    public String toString() {
        int total = totalPermits();
        int held = Math.max(0, total - availablePermits());
        int queued = queueLength();
        String state = held == 0 && queued == 0 ? "free, " + total + " permits"
                : "held " + held + " of " + total + (queued > 0 ? ", " + queued + " queued" : "");
        return "AsyncSemaphore '" + engine.name() + "' [" + state + (isClosed() ? ", closed" : "") + "]";
    }

    private static int checked(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, is " + permits);
        }
        return permits;
    }

    /**
     * Options for an {@link AsyncSemaphore}: those of every {@link LockBuilder}. Not thread-safe;
     * each {@link #build()} makes a new semaphore.
     *
     * {@snippet :
     * AsyncSemaphore pool = AsyncSemaphore.builder(4).name("workers").executor(executor).build();
     * }
     */
    public static final class Builder extends LockBuilder<Builder> {
        private final int permits;

        private Builder(int permits) {
            this.permits = permits;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the semaphore.
         *
         * @return a new semaphore with all permits free
         * @throws IllegalArgumentException if the permit count is negative
         */
        public AsyncSemaphore build() {
            return new AsyncSemaphore(permits, options());
        }
    }
}
