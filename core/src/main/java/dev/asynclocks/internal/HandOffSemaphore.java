package dev.asynclocks.internal;

import dev.asynclocks.Guard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one engine behind every primitive: a fair, weighted semaphore with a FIFO queue and direct
 * hand-off. {@code AsyncMutex} is one permit; {@code AsyncRwLock} is {@code maxReaders} permits, a
 * read taking one and a write taking all; {@code AsyncSemaphore} is the engine itself.
 *
 * <p>Deliberately implements no public interface: a primitive cannot be cast into another.
 *
 * <pre>
 * Implementation overview
 *
 *   state (one long, changed by CAS or, see below, by plain volatile writes under queueLock)
 *
 *      63            33   32   31                               0
 *     +----------------+-----+----------------------------------+
 *     |     unused     |  W  |   available permits (>= 0)        |
 *     +----------------+-----+----------------------------------+
 *
 *   W (WAITERS) is set exactly while the queue is non-empty (an invariant at every release of
 *   queueLock). The queue is a doubly linked list of {@link Waiter} nodes, head = oldest, guarded
 *   by queueLock (a ReentrantLock: it parks a virtual thread, never pins a carrier, and is held
 *   for a handful of pointer writes, never while running a caller's code).
 *
 *   Fast paths, lock-free, one CAS each, allowed only while W is clear:
 *     take n     (tryAcquire, and the first step of every acquire):  permits >= n  -> permits -= n
 *     release n  (a guard's release):                                permits += n
 *
 *   Slow paths, under queueLock:
 *     enqueue     re-check the fast path; else set W (CAS) and append the node.
 *     release     add the permits (atomic add), then grant from the head: while the head's need
 *                 fits the available permits, take them, unlink the node, mark it GRANTED.
 *                 If the queue empties, clear W.
 *     cancel      if the node is still WAITING, unlink it and mark it CANCELLED; if it was the
 *                 head, grant from the new head as above (its permits may now fit).
 *
 *   Why this is safe: while W is set every fast-path CAS fails (it expects W clear), so the only
 *   writer of state is the thread holding queueLock; that is what lets the grant loop write state
 *   with plain volatile writes, and what makes permits that come free while anyone waits belong
 *   to the head of the queue. Nobody barges: a try or a new acquisition sees W and queues (or
 *   fails). A small request cannot overtake a large one at the head, because the head is granted
 *   first and the permits it is still missing accumulate in state, out of reach of fast paths.
 *
 *   Hand-off: a granted node is unlinked and marked under queueLock, and woken only after the
 *   lock is released: a parked thread is unparked; an async acquisition is completed through the
 *   DeliveryTrampoline (or the configured executor), so a chain of releases inside continuations
 *   runs as a loop, not as recursion.
 *
 *   Fairness policy: {@link #admitsAtOnce} is the single place that decides whether an acquisition
 *   may take permits without queueing. Strict FIFO admits only while nobody waits; a bounded-
 *   barging policy (Go's sync.Mutex outside starvation mode) would admit a newcomer while the head
 *   has waited less than a bound, with the queue, grant and cancel paths unchanged.
 *
 *   Memory effects: every release and grant goes through a CAS on state or through queueLock
 *   followed by the volatile write of a node's status (or the completion of its future), so a
 *   release happens-before the acquisition it makes possible.
 * </pre>
 */
public final class HandOffSemaphore {

    /** The most permits an engine can have. */
    public static final int MAX_PERMITS = Integer.MAX_VALUE;

    private static final long WAITERS = 1L << 32;
    private static final long NO_TIMEOUT = Long.MAX_VALUE;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(HandOffSemaphore.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Available permits and the WAITERS bit; see the overview for who may write it, and how. */
    private volatile long state;

    /** Guards the queue links, {@code head}, {@code tail}, and the writers of {@code queueLength}. */
    private final ReentrantLock queueLock = new ReentrantLock();

    /** Oldest and newest queued node. Read and written under queueLock only. */
    private Waiter head;
    private Waiter tail;

    /** Number of queued nodes. Written under queueLock; volatile so monitors can read it freely. */
    private volatile int queueLength;

    /** From the builder; final. */
    private final String name;
    private final Executor executor;

    /**
     * @param permits the total number of permits, from 1 to {@link #MAX_PERMITS}
     * @param options name and continuation executor
     */
    public HandOffSemaphore(int permits, LockOptions options) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, is " + permits);
        }
        this.state = permits;
        this.name = options.name();
        this.executor = options.executor();
    }

    // ---- public operations, for the facades ---------------------------------------------------

    /**
     * Takes {@code n} permits if they are free and nobody waits.
     *
     * @param n permits, positive and at most the total (checked by the caller)
     * @return the guard, or empty
     */
    public Optional<Guard> tryAcquire(int n) {
        return tryTake(n) ? Optional.of(new Hold(this, n)) : Optional.empty();
    }

    /**
     * Acquires {@code n} permits asynchronously; see {@code AsyncLock.acquire()}.
     *
     * @param n permits, positive and at most the total (checked by the caller)
     * @return the caller's stage
     */
    public CompletionStage<Guard> acquire(int n) {
        if (tryTake(n)) {
            return Acquisition.grantedAtOnce(this, n);
        }
        return enqueueAsync(n, NO_TIMEOUT);
    }

    /**
     * Acquires {@code n} permits asynchronously with a timeout; see
     * {@code AsyncLock.acquire(Duration)}.
     *
     * @param n       permits, positive and at most the total (checked by the caller)
     * @param timeout not null, not negative
     * @return the caller's stage
     */
    public CompletionStage<Guard> acquire(int n, Duration timeout) {
        long nanos = toNanos(timeout);
        if (tryTake(n)) {
            return Acquisition.grantedAtOnce(this, n);
        }
        if (nanos == 0) {
            return CompletableFuture.failedFuture(timeoutException());
        }
        return enqueueAsync(n, nanos);
    }

    /**
     * Acquires {@code n} permits, parking the calling thread; see {@code AsyncLock.lock()}.
     *
     * @param n permits, positive and at most the total (checked by the caller)
     * @return the guard
     * @throws InterruptedException if interrupted before the grant; nothing is left held
     */
    public Guard lock(int n) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!tryTake(n)) {
            ThreadWaiter waiter = new ThreadWaiter(n, Thread.currentThread());
            if (!takeOrEnqueue(waiter)) {
                awaitGrant(waiter, NO_TIMEOUT);
            }
        }
        return new Hold(this, n);
    }

    /**
     * Acquires {@code n} permits, parking for at most {@code timeout}; see
     * {@code AsyncLock.lock(Duration)}.
     *
     * @param n       permits, positive and at most the total (checked by the caller)
     * @param timeout not null, not negative
     * @return the guard
     * @throws InterruptedException if interrupted before the grant; nothing is left held
     * @throws TimeoutException     if not granted in time; nothing is left held
     */
    public Guard lock(int n, Duration timeout) throws InterruptedException, TimeoutException {
        long nanos = toNanos(timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!tryTake(n)) {
            if (nanos == 0) {
                throw timeoutException();
            }
            ThreadWaiter waiter = new ThreadWaiter(n, Thread.currentThread());
            if (!takeOrEnqueue(waiter) && !awaitGrant(waiter, nanos)) {
                throw timeoutException();
            }
        }
        return new Hold(this, n);
    }

    /**
     * Acquires {@code n} permits, runs {@code action}, and releases when its stage completes; see
     * {@code AsyncLock.withLock}.
     *
     * @param n      permits, positive and at most the total (checked by the caller)
     * @param action not null
     * @param <T>    the result type
     * @return a stage completing with the action's outcome, after the release
     */
    public <T> CompletionStage<T> withLock(int n, Supplier<? extends CompletionStage<T>> action) {
        Objects.requireNonNull(action, "action");
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Guard> acquisition = acquire(n).toCompletableFuture();
        if (!acquisition.isDone()) {
            // Cancelling the result before the grant withdraws the acquisition.
            result.whenComplete((value, failure) -> {
                if (result.isCancelled()) {
                    acquisition.cancel(false);
                }
            });
        }
        acquisition.whenComplete((guard, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else if (result.isDone()) {
                guard.release(); // cancelled by the caller while being granted
            } else {
                runHolding(guard, action, result);
            }
        });
        return result;
    }

    private static <T> void runHolding(Guard guard, Supplier<? extends CompletionStage<T>> action,
                                       CompletableFuture<T> result) {
        CompletionStage<T> stage;
        try {
            stage = action.get();
        } catch (Throwable failure) {
            guard.release();
            result.completeExceptionally(failure);
            return;
        }
        if (stage == null) {
            guard.release();
            result.completeExceptionally(
                    new NullPointerException("withLock action returned null instead of a CompletionStage"));
            return;
        }
        stage.whenComplete((value, failure) -> {
            guard.release();
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        });
    }

    /**
     * Atomically turns a hold of {@code from} permits into a hold of {@code to} permits, returning
     * the difference to the queue (which admits whoever it now fits).
     *
     * @param guard a live guard of this engine holding exactly {@code from} permits
     * @param from  the permits the guard must hold
     * @param to    the permits the new guard holds, less than {@code from}
     * @return the new guard
     * @throws IllegalArgumentException if {@code guard} is not such a guard; nothing changes then
     */
    public Guard downgrade(Guard guard, int from, int to) {
        if (!(guard instanceof PermitGuard permitGuard) || permitGuard.owner() != this
                || permitGuard.heldPermits() != from) {
            throw new IllegalArgumentException("not a live write guard of this lock: " + guard);
        }
        if (!permitGuard.takeOver(from)) {
            throw new IllegalArgumentException("write guard was released concurrently: " + guard);
        }
        Hold downgraded = new Hold(this, to);
        release(from - to);
        return downgraded;
    }

    /** @return the permits free now (held back for the head of the queue while anyone waits) */
    public int availablePermits() {
        return (int) state;
    }

    /** @return the number of queued acquisitions */
    public int queueLength() {
        return queueLength;
    }

    /** @return the name given by the builder, or "unnamed" */
    public String name() {
        return name != null ? name : "unnamed";
    }

    // ---- for guards and nodes -------------------------------------------------------------------

    Executor executor() {
        return executor;
    }

    TimeoutException timeoutException() {
        return new TimeoutException("timed out waiting for lock '" + name() + "' ("
                + queueLength + " queued)");
    }

    /** Returns {@code n} permits: one CAS while nobody waits, else a hand-off under queueLock. */
    void release(int n) {
        long s = state;
        while ((s & WAITERS) == 0) {
            long witness = (long) STATE.compareAndExchange(this, s, s + n);
            if (witness == s) {
                return;
            }
            s = witness;
        }
        Waiter granted;
        queueLock.lock();
        try {
            long after = (long) STATE.getAndAdd(this, (long) n) + n;
            if ((after & WAITERS) == 0) {
                return; // the queue emptied while we waited for the lock: a plain release
            }
            granted = grantFromHeadLocked();
        } finally {
            queueLock.unlock();
        }
        wakeAll(granted);
    }

    /**
     * Withdraws a queued node.
     *
     * @return {@code true} if the node was waiting and is now cancelled; {@code false} if it had
     *         already been granted (the caller must then keep or release the grant)
     */
    boolean cancel(Waiter node) {
        Waiter granted;
        queueLock.lock();
        try {
            if (node.status != Waiter.WAITING) {
                return false;
            }
            boolean wasHead = node == head;
            unlinkLocked(node);
            node.status = Waiter.CANCELLED;
            granted = wasHead ? grantFromHeadLocked() : null;
        } finally {
            queueLock.unlock();
        }
        wakeAll(granted);
        return true;
    }

    // ---- the algorithm --------------------------------------------------------------------------

    /** The fairness policy: may {@code n} permits be taken without queueing, given {@code s}? */
    private static boolean admitsAtOnce(long s, int n) {
        return (s & WAITERS) == 0 && (int) s >= n;
    }

    /** The lock-free fast path: one CAS while the policy admits. */
    private boolean tryTake(int n) {
        long s = state;
        while (admitsAtOnce(s, n)) {
            long witness = (long) STATE.compareAndExchange(this, s, s - n);
            if (witness == s) {
                return true;
            }
            s = witness;
        }
        return false;
    }

    private CompletionStage<Guard> enqueueAsync(int n, long timeoutNanos) {
        Acquisition acquisition = new Acquisition(this, n);
        if (takeOrEnqueue(acquisition.node())) {
            acquisition.completeGrantedInline();
        } else if (timeoutNanos != NO_TIMEOUT) {
            acquisition.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
        }
        return acquisition;
    }

    /**
     * Under queueLock: takes the node's permits at once if the policy admits (marking it GRANTED),
     * else sets W and appends it.
     *
     * @return {@code true} if the permits were taken at once
     */
    private boolean takeOrEnqueue(Waiter node) {
        int n = node.permits;
        queueLock.lock();
        try {
            long s = state;
            while (true) {
                if (admitsAtOnce(s, n)) {
                    long witness = (long) STATE.compareAndExchange(this, s, s - n);
                    if (witness == s) {
                        node.status = Waiter.GRANTED;
                        return true;
                    }
                    s = witness;
                } else if ((s & WAITERS) != 0) {
                    appendLocked(node); // W set: we are the only writer of state now
                    return false;
                } else {
                    long witness = (long) STATE.compareAndExchange(this, s, s | WAITERS);
                    if (witness == s) {
                        appendLocked(node);
                        return false;
                    }
                    s = witness;
                }
            }
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Under queueLock, with W set: grants from the head while the head's need fits, clears W if
     * the queue empties, and returns the granted nodes chained through {@code next}, oldest first.
     */
    private Waiter grantFromHeadLocked() {
        long s = state;
        Waiter first = null;
        Waiter last = null;
        for (Waiter node = head; node != null && (int) s >= node.permits; node = head) {
            s -= node.permits;
            unlinkLocked(node);
            node.status = Waiter.GRANTED;
            if (first == null) {
                first = node;
            } else {
                last.next = node;
            }
            last = node;
        }
        if (head == null) {
            s &= ~WAITERS;
        }
        state = s; // W was set on entry: no fast path can have written state meanwhile
        return first;
    }

    private void appendLocked(Waiter node) {
        node.prev = tail;
        if (tail == null) {
            head = node;
        } else {
            tail.next = node;
        }
        tail = node;
        queueLength = queueLength + 1;
    }

    private void unlinkLocked(Waiter node) {
        Waiter prev = node.prev;
        Waiter next = node.next;
        if (prev == null) {
            head = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.prev = prev;
        }
        node.prev = null;
        node.next = null;
        queueLength = queueLength - 1;
    }

    /** Outside queueLock: wakes a batch of granted nodes, oldest first. */
    private static void wakeAll(Waiter node) {
        while (node != null) {
            Waiter next = node.next;
            node.next = null;
            node.wake();
            node = next;
        }
    }

    /**
     * Parks until {@code node} is granted, the timeout elapses, or the thread is interrupted.
     *
     * @return {@code true} if granted; {@code false} if the timeout elapsed and the node was
     *         withdrawn
     * @throws InterruptedException if interrupted; the node is withdrawn, or its grant released
     */
    private boolean awaitGrant(ThreadWaiter node, long timeoutNanos) throws InterruptedException {
        long deadline = timeoutNanos == NO_TIMEOUT ? 0L : System.nanoTime() + timeoutNanos;
        while (node.status != Waiter.GRANTED) {
            if (timeoutNanos == NO_TIMEOUT) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0L) {
                    // Exactly one of timeout and grant wins; a grant that got there first stands.
                    return !cancel(node);
                }
                LockSupport.parkNanos(this, left);
            }
            if (Thread.interrupted()) {
                if (!cancel(node)) {
                    release(node.permits); // granted at the same instant: leave nothing behind
                }
                throw new InterruptedException();
            }
        }
        return true;
    }

    /** Validates a timeout and converts it, saturating: too long for a long means no timeout. */
    private static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, is " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return NO_TIMEOUT;
        }
    }

    @Override
    public String toString() {
        return "HandOffSemaphore[" + name() + ", available=" + availablePermits()
                + ", queued=" + queueLength + "]";
    }
}
