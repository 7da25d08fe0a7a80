package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import dev.asynclocks.LockClosedException;
import dev.asynclocks.LockStats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
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
 *   state: one long, changed by CAS, or (see below) by release stores under queueLock
 *
 *      63                         33   32   31   30                          0
 *     +-----------------------------+-----+-----+------------------------------+
 *     | grants (31-bit count):      |  X  |  W  |   available permits (>= 0)   |
 *     | stats, and hold generations |     |     |                              |
 *     +-----------------------------+-----+-----+------------------------------+
 *
 *   X (EXCLUSIVE) is set exactly while one hold has all the permits (a mutex hold, a write hold):
 *   the CAS or write that takes all permits sets it, the one that returns them clears it, so it
 *   always agrees with the permits (a rwlock tells a writer from a full house of readers by it).
 *   Every grant adds one to the count; for an exclusive hold the count it wrote (its generation)
 *   stays put until the hold ends, which lets an unwatched exclusive guard release with a single
 *   CAS that expects X and its generation (ExclusiveHold, ExclusiveGrant): a stale or repeated
 *   release finds X clear or a later generation and does nothing.
 *   W (WAITERS) is set exactly while the queue is non-empty or the engine is closed (an
 *   invariant at every release of queueLock). The queue (WaitQueue) is a doubly linked list of Acquisition nodes, head =
 *   oldest, guarded by queueLock (a ReentrantLock: it parks a virtual thread, never pins a
 *   carrier, and is held for a handful of pointer writes, never while running a caller's code).
 *
 *   Fast paths, lock-free, one CAS each, possible only while W is clear:
 *     take n     (tryAcquire, and the first step of every acquire):
 *                permits >= n  ->  permits -= n, count += 1 (and X set if n is all permits)
 *     release n  (a guard's release):  permits += n (and X cleared if n is all permits)
 *
 *   Slow paths, under queueLock:
 *     enqueue    re-check the fast path; else set W (CAS) and append the node.
 *     release    add the permits, then grant from the head: while the head's need fits the
 *                available permits, take them (count += 1) and unlink the node. If the queue
 *                empties, clear W. All of it is one write of state; only after that write
 *                are the granted nodes marked (still under queueLock), so a granted waiter
 *                that looks by itself (a timed park ending) always finds its hold in state.
 *     withdraw   if the node is still linked, unlink it (cancel, timeout, interrupt, abandon);
 *                if it was the head, grant from the new head as above (its need may now fit).
 *
 *   Why this is safe: while W is set every fast-path CAS fails (each expects W clear), so the only
 *   writer of state is the thread holding queueLock; that is what lets the grant loop write state
 *   with a store instead of a CAS, and what makes permits that come free while anyone waits belong
 *   to the head of the queue. Nobody barges: a try or a new acquisition sees W and queues (or
 *   fails). A small request cannot overtake a large one at the head, because the head is granted
 *   first and the permits it still lacks accumulate in state, out of reach of the fast paths.
 *
 *   Hand-off, in three steps (the node's life is drawn in Acquisition's overview):
 *     1. grant   under queueLock (grantFromHeadLocked): permits taken in state, nodes unlinked,
 *                state written once, then each node marked (held -n -> n, its ticket set).
 *     2. wake    after queueLock is released (wakeAll), the whole batch oldest first: a parked
 *                thread is unparked (ParkedAcquisition); an async acquisition is handed to the
 *                configured executor, exactly once (ExecutorDelivery), or scheduled on this
 *                thread's DeliveryTrampoline, which the waker has entered first, so that even an
 *                executor running tasks in place only queues.
 *     3. deliver the trampoline completes the queued stages in grant order once the whole batch
 *                is woken (Acquisition.deliver: a stage the caller completed first gets its
 *                grant released instead).
 *   A chain of releases inside continuations runs as a loop, not as recursion, and whatever a
 *   batch member's continuation grants is delivered after the whole batch. A continuation that
 *   releases the guard it was given finds the running loop in the node, without a ThreadLocal.
 *   Every hold ends through endHold (PermitGuard.endHold on each of the four guard classes), the
 *   one place that checks an exclusive hold's generation.
 *
 *   Timeouts: a queued acquire(Duration) is a TimedAcquisition carrying its deadline. The
 *   engine's DeadlineTimer (made on first use) keeps one task armed for the earliest deadline;
 *   when it fires, expireDue() withdraws every expired waiter in one walk under queueLock
 *   (counted as timeouts, like any withdrawal), grants what the departure of the head lets in,
 *   and only then, outside the lock, fails the expired stages. A timed lock(Duration) parks
 *   with its own deadline and needs no timer.
 *
 *   Closing: close(cause) records the cause and sets W for good under queueLock, so every fast
 *   path fails from then on and reaches queueLock, where takeOrEnqueue refuses it (a failed
 *   tryAcquire checks the cause instead); the same critical section withdraws the whole queue
 *   (each node's held set to 0: never granted, so a racing cancel or timeout finds it gone), and
 *   the withdrawn are failed outside the lock. Releases still return permits (W set: under
 *   queueLock); grantFromHeadLocked never clears W once closed.
 *
 *   Capacity: a resizable engine (AsyncSemaphore) changes its total. addPermits raises the total
 *   (CAS, bounded by MAX_PERMITS), then returns the permits as a release does (granting from the
 *   head); forgetPermits takes free permits out of state, as a take without a grant would (CAS
 *   while W is clear, else a store under queueLock), then lowers the total. So the free permits
 *   never exceed the total. None of a resizable engine's holds is exclusive (X never set): a
 *   hold of "all the permits" would stop being all of them when permits are added.
 *
 *   Self-deadlock check (detectSelfDeadlock, off by default): ThreadHolds counts the permits each
 *   thread holds through guards it took synchronously (TrackedGuard subtracts them when the hold
 *   ends, on any thread); a parked acquisition about to queue is refused under queueLock
 *   (checkSelfDeadlockLocked) when only the calling thread's own permits could let it through.
 *
 *   Fairness policy: admitsAtOnce() is the single place that decides whether an acquisition may
 *   take permits without queueing. Strict FIFO admits only while nobody waits; a bounded-barging
 *   policy (Go's sync.Mutex outside starvation mode) would admit a newcomer while the head has
 *   waited less than a bound, with the queue, grant and withdraw paths unchanged.
 *
 *   Observability: the LockMonitor is called at enqueue, grant and withdraw (under queueLock), and
 *   before wake-ups and at hold creation (outside it); nothing else. It reads the clock only
 *   for the waits it samples (LockMonitor's overview), so a hand-off usually reads none.
 *
 *   Memory effects: every release and grant goes through a CAS on state or through queueLock
 *   followed by a volatile write the new holder reads (the held count of a ParkedAcquisition,
 *   the result of an Acquisition), so a release happens-before the acquisition it makes possible.
 * </pre>
 */
public final class HandOffSemaphore {

    /** The most permits an engine can have (31 bits of the state word). */
    public static final int MAX_PERMITS = Integer.MAX_VALUE;

    private static final long PERMITS = 0x7FFF_FFFFL;
    private static final long WAITERS = 1L << 31;
    private static final long EXCLUSIVE = 1L << 32;
    private static final int COUNT_SHIFT = 33;
    private static final long COUNT_ONE = 1L << COUNT_SHIFT;
    /** tryTake's answer when it took nothing: never a state a successful take produces (W set). */
    private static final long NOT_TAKEN = WAITERS;
    static final long NO_TIMEOUT = Long.MAX_VALUE;
    /** A timeout this long (146 years) or longer is no timeout: deadlines stay far from overflow. */
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 2;
    /**
     * How many {@link Thread#onSpinWait()} a platform thread in {@code lock()} spins, watching its
     * node, before it parks: a hand-off that lands meanwhile costs no park and unpark (a wake-up of
     * a parked platform thread takes microseconds; a short critical section, less). Virtual threads
     * never spin (their park is cheap, and a spin would hold the carrier). Bounded (R7); 0 turns it
     * off: {@code -Ddev.asynclocks.parkSpins=0}.
     */
    static final int PARK_SPINS = Math.max(0, Integer.getInteger("dev.asynclocks.parkSpins", 1 << 10));
    /** {@link #endHold}'s generation for guards that keep their own count (generations are >= 0). */
    static final int OWN_COUNT = -1;
    private static final VarHandle STATE;
    private static final VarHandle TOTAL_PERMITS;
    private static final VarHandle DEADLINE_TIMER;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(HandOffSemaphore.class, "state", long.class);
            TOTAL_PERMITS = MethodHandles.lookup().findVarHandle(HandOffSemaphore.class, "totalPermits", int.class);
            DEADLINE_TIMER = MethodHandles.lookup().findVarHandle(HandOffSemaphore.class, "deadlineTimer",
                    DeadlineTimer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Count, W and available permits; see the overview for who may write it, and how. */
    private volatile long state;

    /** Guards the queue and the monitor's counters. */
    private final ReentrantLock queueLock = new ReentrantLock();

    /** The waiting acquisitions, oldest first. Under queueLock (but for its length, for monitoring). */
    private final WaitQueue queue = new WaitQueue();

    /**
     * The permits in circulation, held and free. Fixed, but for a resizable engine: addPermits
     * raises it before the permits appear in state, forgetPermits lowers it after they left, so
     * the free permits never exceed it. Changed by CAS; read for reports and for bounds.
     */
    private volatile int totalPermits;

    /**
     * A hold of this many permits is exclusive (X set): the total of a fixed engine, 0 (no hold
     * is) for a resizable one, whose total may change under a hold. Final.
     */
    private final int exclusivePermits;

    /** From the builder; final. */
    private final Executor executor;
    /** The most acquisitions that may wait at once; a further one is refused. */
    private final int maxWaiters;
    private final LockMonitor monitor;

    /**
     * Why the engine was closed, or {@code null} while it is open. Written once, under queueLock,
     * before W is set for good; read under queueLock to decide, elsewhere for messages and hints.
     */
    private volatile Throwable closedBy;

    /** Times the queued async acquisitions that have a timeout; made once, by CAS, when first needed. */
    private volatile DeadlineTimer deadlineTimer;

    /** Each thread's synchronously acquired permits, if built with detectSelfDeadlock; else null. Final. */
    private final ThreadHolds threadHolds;

    /** A test's hook into the race windows, or {@code null} (always, outside tests). Final. */
    private final RaceHook raceHook;

    /**
     * @param lockType the public type, for messages and events ("AsyncMutex", ...)
     * @param permits  the total number of permits, from 1 to {@link #MAX_PERMITS}
     * @param options  name, continuation executor, queue bound
     */
    public HandOffSemaphore(String lockType, int permits, LockOptions options) {
        this(lockType, permits, false, options, null);
    }

    /** As the public constructor, with a test's hook into the race windows. */
    HandOffSemaphore(String lockType, int permits, LockOptions options, RaceHook raceHook) {
        this(lockType, permits, false, options, raceHook);
    }

    /**
     * An engine whose total may change ({@link #addPermits}, {@link #forgetPermits}); none of its
     * holds is exclusive.
     *
     * @param lockType the public type, for messages and events ("AsyncSemaphore")
     * @param permits  the permits it starts with, from 0 to {@link #MAX_PERMITS}
     * @param options  name, continuation executor, queue bound
     * @return the engine
     */
    public static HandOffSemaphore resizable(String lockType, int permits, LockOptions options) {
        return new HandOffSemaphore(lockType, permits, true, options, null);
    }

    /** As {@link #resizable}, with a test's hook into the race windows. */
    static HandOffSemaphore resizable(String lockType, int permits, LockOptions options, RaceHook raceHook) {
        return new HandOffSemaphore(lockType, permits, true, options, raceHook);
    }

    private HandOffSemaphore(String lockType, int permits, boolean resizable, LockOptions options,
                             RaceHook raceHook) {
        if (permits < (resizable ? 0 : 1)) {
            throw new IllegalArgumentException("permits must be at least " + (resizable ? 0 : 1) + ", is " + permits);
        }
        this.state = permits;
        this.totalPermits = permits;
        this.exclusivePermits = resizable ? 0 : permits;
        this.executor = options.executor();
        this.maxWaiters = options.maxWaiters();
        this.monitor = new LockMonitor(lockType, options);
        this.threadHolds = options.detectSelfDeadlock() ? new ThreadHolds() : null;
        this.raceHook = raceHook;
    }

    // ---- public operations, for the facades ---------------------------------------------------

    /**
     * Takes {@code n} permits if they are free and nobody waits.
     *
     * @param n permits, positive and at most the total (checked by the caller)
     * @return the guard, or empty
     */
    public Optional<Guard> tryAcquire(int n) {
        long taken = tryTake(n);
        if (taken == NOT_TAKEN) {
            if (isClosed(state)) {
                throw closedException(); // W stays set once closed: every try ends up here
            }
            return Optional.empty();
        }
        return Optional.of(newThreadHold(n, ticket(taken)));
    }

    /**
     * Acquires {@code n} permits asynchronously; see {@code AsyncLock.acquire()}.
     *
     * @param n permits, positive and at most the total (checked by the caller)
     * @return the caller's stage
     */
    public CompletionStage<Guard> acquire(int n) {
        long taken = tryTake(n);
        if (taken != NOT_TAKEN) {
            return newGrantedStage(n, ticket(taken));
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
        long taken = tryTake(n);
        if (taken != NOT_TAKEN) {
            return newGrantedStage(n, ticket(taken));
        }
        if (nanos == 0) {
            return CompletableFuture.failedFuture(isClosed(state) ? closedException() : timeoutException());
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
        long taken = tryTake(n);
        if (taken != NOT_TAKEN) {
            return newThreadHold(n, ticket(taken));
        }
        return lockQueued(n, NO_TIMEOUT);
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
        long taken = tryTake(n);
        if (taken != NOT_TAKEN) {
            return newThreadHold(n, ticket(taken));
        }
        if (nanos == 0) {
            if (isClosed(state)) {
                throw closedException();
            }
            throw timeoutException();
        }
        Guard guard = lockQueued(n, nanos);
        if (guard == null) {
            throw timeoutException();
        }
        return guard;
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
        return withGuard(acquire(n).toCompletableFuture(), action);
    }

    /**
     * Runs {@code action} once {@code acquisition} is granted, and releases its guard when the
     * action's stage completes: {@link #withLock}, for any acquisition stage that a completion
     * from outside withdraws (as the engine's own, or an upgradable read's).
     */
    static <T> CompletionStage<T> withGuard(CompletableFuture<Guard> acquisition,
                                            Supplier<? extends CompletionStage<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!acquisition.isDone()) {
            // Completing the result before the grant, in any way (cancel, complete, a failure, an
            // orTimeout of the caller's), withdraws the acquisition, as for acquire(). After the
            // grant this cancel loses, and the delivery below releases the unused hold.
            result.whenComplete((value, failure) -> acquisition.cancel(false));
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
        if (!permitGuard.endHold(to)) {
            throw new IllegalArgumentException("write guard was released concurrently: " + guard);
        }
        // The grant count now is the new hold's sampling ticket (downgrades are sampled as
        // evenly as grants; a constant ticket would never be leak-sampled).
        Hold downgraded = new Hold(this, to, ticket(state));
        return threadHolds == null ? downgraded : threadHolds.retrack(downgraded, permitGuard);
    }

    // ---- upgradable reads (UpgradableReadLock) ---------------------------------------------------

    /**
     * Takes over a guard just granted for an upgradable read: it ends without returning its
     * permits (an exclusive one clears X: an upgradable hold is not a write hold, even of all the
     * permits), and an {@link UpgradableHold} holds them from now on, counted for the same thread.
     */
    UpgradableHold adoptUpgradable(Guard granted, UpgradableReadLock lock) {
        PermitGuard guard = (PermitGuard) granted;
        ThreadHolds.Count threadCount = guard instanceof TrackedGuard tracked ? tracked.count() : null;
        if (!guard.endHold(lock.permits())) {
            throw new IllegalStateException("a new guard ended before it was handed out: " + granted);
        }
        return new UpgradableHold(lock, threadCount);
    }

    /** @return the monitor's record of a hold taken over by a guard of another kind, or null */
    HoldRecord watchAdopted(Guard guard, int permits) {
        return monitor.watch(guard, permits, ticket(state));
    }

    /** Returns the permits of a hold taken over by a guard of another kind (an upgradable read's). */
    void returnAdopted(int permits) {
        returnPermits(permits, permits == exclusivePermits, OWN_COUNT, null);
    }

    /** @return {@code write}, counted as the calling thread's if the engine detects self-deadlocks */
    Guard trackedByCurrentThread(Guard write) {
        return threadHolds == null ? write : threadHolds.track((PermitGuard) write, exclusivePermits);
    }

    /**
     * Atomically turns a write hold into an upgradable read hold, returning the other permits to
     * the queue; see {@code AsyncRwLock.downgradeToUpgradable}.
     *
     * @throws IllegalArgumentException if {@code guard} is not a live write guard of this engine
     */
    UpgradableHold downgradeToUpgradable(Guard guard, UpgradableReadLock lock) {
        if (!(guard instanceof PermitGuard permitGuard) || permitGuard.owner() != this
                || permitGuard.heldPermits() != exclusivePermits) {
            throw new IllegalArgumentException("not a live write guard of this lock: " + guard);
        }
        ThreadHolds.Count threadCount = guard instanceof TrackedGuard tracked ? tracked.count() : null;
        if (!permitGuard.endHold(lock.permits())) {
            throw new IllegalArgumentException("write guard was released concurrently: " + guard);
        }
        return new UpgradableHold(lock, threadCount);
    }

    /**
     * Upgrades an upgradable read hold to the write hold: takes the permits it lacks at once if
     * they are free (whoever waits), else queues for them at the head of the queue. Granted, the
     * returned stage is the write guard and the upgradable hold has ended; withdrawn (cancel,
     * timeout, interrupt, close) or refused, the upgradable hold is live again.
     *
     * @param timeoutNanos {@link #NO_TIMEOUT} (or anything from {@link #FOREVER_NANOS} on) for none
     * @param parked       whether the calling thread will park for it ({@code lockUpgrade}): then,
     *                     with detectSelfDeadlock, it is refused if only its own holds could end it
     * @return the stage of the write guard
     * @throws IllegalArgumentException if the hold is released or being upgraded already
     * @throws IllegalStateException    with detectSelfDeadlock, for a parked upgrade that only the
     *                                  calling thread's own read holds could let through
     */
    CompletableFuture<Guard> upgrade(UpgradableHold upgradable, long timeoutNanos, boolean parked) {
        if (!upgradable.beginUpgrade()) {
            throw new IllegalArgumentException("the upgradable read guard is released, or being upgraded already: "
                    + upgradable);
        }
        int need = exclusivePermits - upgradable.permits();
        boolean timed = timeoutNanos < FOREVER_NANOS;
        long deadline = timed ? System.nanoTime() + timeoutNanos : TimedAcquisition.NO_DEADLINE;
        UpgradeAcquisition node = new UpgradeAcquisition(this, need, deadline, upgradable);
        long taken = NOT_TAKEN;
        boolean queued = false;
        boolean closed = false;
        String selfDeadlock = null;
        int giveBack = 0;
        queueLock.lock();
        try {
            if (closedBy != null) {
                closed = true;
                monitor.onRejectedLocked();
            } else {
                for (long s = state; ; ) {
                    if ((s & PERMITS) >= need) {
                        long next = afterUpgrade(s, need);
                        if ((s & WAITERS) != 0) {
                            STATE.setRelease(this, next); // W set: we are the only writer
                            taken = next;
                            break;
                        }
                        long witness = (long) STATE.compareAndExchange(this, s, next);
                        if (witness == s) {
                            taken = next;
                            break;
                        }
                        s = witness;
                    } else if (timeoutNanos == 0) {
                        break;
                    } else if (parked && threadHolds != null && (selfDeadlock = upgradeSelfDeadlockLocked(upgradable)) != null) {
                        break;
                    } else if ((s & WAITERS) != 0) {
                        pushFrontLocked(node);
                        queued = true;
                        break;
                    } else {
                        long witness = (long) STATE.compareAndExchange(this, s, s | WAITERS);
                        if (witness == s) {
                            pushFrontLocked(node);
                            queued = true;
                            break;
                        }
                        s = witness;
                    }
                }
            }
            if (taken != NOT_TAKEN) {
                counted(taken);
                upgradable.endedByUpgradeLocked();
            } else if (!queued) {
                giveBack = upgradable.upgradeWithdrawnLocked();
            }
        } finally {
            queueLock.unlock();
        }
        if (taken != NOT_TAKEN) {
            upgradable.finishEnd();
            node.completeGrantedInline(ticket(taken), exclusivePermits);
            return node;
        }
        if (!queued) {
            if (giveBack > 0) {
                upgradable.finishIfEndedByWithdrawal();
                returnAdopted(giveBack);
            }
            if (selfDeadlock != null) {
                throw new IllegalStateException(describe() + ": lockUpgrade() would wait forever: " + selfDeadlock
                        + " (detectSelfDeadlock)");
            }
            return CompletableFuture.failedFuture(closed ? closedException() : timeoutException());
        }
        if (timed) {
            deadlineTimer().arm(deadline); // queued first: the walk that fires sees it
        }
        return node;
    }

    /** Under queueLock, with W set: queues an upgrade ahead of everyone. */
    private void pushFrontLocked(Acquisition node) {
        int length = queue.pushFront(node);
        if (monitor.onEnqueuedLocked(length)) {
            node.stampEnqueued(System.nanoTime());
        }
    }

    /**
     * @return whether all permits are free and nobody waits, read from one word (so a hand-off,
     *         which never shows its permits free, never looks free)
     */
    public boolean isFree() {
        long s = state;
        return (s & PERMITS) == totalPermits && ((s & WAITERS) == 0 || closedBy != null);
    }

    /** @return whether one hold has all the permits now (a mutex or write hold) */
    public boolean isHeldExclusively() {
        return (state & EXCLUSIVE) != 0;
    }

    /**
     * @return the permits in circulation, held and free (a snapshot: fixed but for a resizable
     *         engine, whose additions count from just before, and removals until just after, they
     *         change the free permits)
     */
    public int totalPermits() {
        return totalPermits;
    }

    /** @return the permits of an exclusive hold: the total of a fixed engine; 0 if none is */
    int exclusivePermits() {
        return exclusivePermits;
    }

    /**
     * Adds {@code n} permits to a resizable engine's total and returns them as a release does: the
     * queue is granted from its head, in FIFO order, as far as they go.
     *
     * @param n permits to add, 0 or more
     * @throws IllegalArgumentException if {@code n} is negative or the total would exceed
     *         {@link #MAX_PERMITS}; nothing changes then
     * @throws IllegalStateException if the engine is not resizable
     */
    public void addPermits(int n) {
        requireResizable();
        if (n < 0) {
            throw new IllegalArgumentException("permits to add must not be negative, is " + n);
        }
        if (n == 0) {
            return;
        }
        for (int total = totalPermits; ; ) {
            if (n > MAX_PERMITS - total) {
                throw new IllegalArgumentException(describe() + " has " + total + " permits; adding " + n
                        + " would exceed the most a semaphore can have, " + MAX_PERMITS);
            }
            int witness = (int) TOTAL_PERMITS.compareAndExchange(this, total, total + n);
            if (witness == total) {
                break;
            }
            total = witness;
        }
        returnPermits(n, false, OWN_COUNT, null); // total first: the free never exceed it
    }

    /**
     * Takes up to {@code n} of the free permits out of circulation (permits held back for the
     * head of the queue included): the total shrinks by as many, and nobody is granted.
     *
     * @param n the most permits to take, 0 or more
     * @return the permits taken, from 0 to {@code n}
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the engine is not resizable
     */
    public int forgetPermits(int n) {
        requireResizable();
        if (n < 0) {
            throw new IllegalArgumentException("permits to forget must not be negative, is " + n);
        }
        int taken = n == 0 ? 0 : takeFreePermits(n);
        if (taken > 0) {
            TOTAL_PERMITS.getAndAdd(this, -taken); // after state: the free never exceed the total
        }
        return taken;
    }

    /** Removes up to {@code n} free permits from state: by CAS while W is clear, else under queueLock. */
    private int takeFreePermits(int n) {
        long s = state;
        while ((s & WAITERS) == 0) {
            int taken = (int) Math.min(n, s & PERMITS);
            if (taken == 0) {
                return 0;
            }
            long witness = (long) STATE.compareAndExchange(this, s, s - taken);
            if (witness == s) {
                return taken;
            }
            s = witness;
        }
        queueLock.lock();
        try {
            for (s = state; ; ) {
                int taken = (int) Math.min(n, s & PERMITS);
                if (taken == 0) {
                    return 0;
                }
                if ((s & WAITERS) != 0) {
                    STATE.setRelease(this, s - taken); // W set: we are the only writer of state
                    return taken;
                }
                long witness = (long) STATE.compareAndExchange(this, s, s - taken); // the queue emptied
                if (witness == s) {
                    return taken;
                }
                s = witness;
            }
        } finally {
            queueLock.unlock();
        }
    }

    private void requireResizable() {
        if (exclusivePermits != 0) {
            throw new IllegalStateException(describe() + " has a fixed number of permits");
        }
    }

    /** @return whether the exclusive hold of this generation is live */
    boolean holdsExclusive(int generation) {
        return isLive(state, generation);
    }

    /** @return the permits free now (held back for the head of the queue while anyone waits) */
    public int availablePermits() {
        return (int) (state & PERMITS);
    }

    /**
     * @return the number of queued acquisitions: an estimate for monitoring (a batch of grants
     *         updates it node by node), but never 0 while the state shows a waiter, so a try
     *         refused because somebody waits is followed by a length of at least 1; 0 once closed
     */
    public int queueLength() {
        // State first: close() writes closedBy before it sets W, so a W that the close set is
        // read with its cause. Closed: whoever is still linked is being failed by the close (and
        // a cause without W yet means an empty queue: W is clear only while nobody waits).
        // (Lincheck found both orders wrong: a try refused as closed, then a length of 1 while the
        // close was still walking the queue; and a length of 1 from the W of closing an empty queue.)
        long s = state;
        int length = queue.lengthNow();
        if (isClosed(s)) {
            return 0;
        }
        return length == 0 && (s & WAITERS) != 0 ? 1 : length;
    }

    /**
     * @return the permits held by shared holds, or 0 while one hold has all of them, from one read
     *         of the state (so a concurrent write acquisition is seen before or after, never half)
     */
    public int sharedHeldPermits() {
        long s = state;
        return (s & EXCLUSIVE) != 0 ? 0 : totalPermits - (int) (s & PERMITS);
    }

    /**
     * Closes the engine: every queued acquisition fails at once with a {@link LockClosedException}
     * (async stages complete exceptionally, parked threads wake and throw), and so does every later
     * acquisition; holds still end normally. Under queueLock, the closing sets W for good (so every
     * fast path fails and comes to queueLock, which refuses it) and withdraws the whole queue in one
     * walk; the withdrawn are failed after the lock is released, oldest first.
     *
     * @param cause carried by every {@link LockClosedException} from now on
     * @return {@code true} if this call closed the engine; {@code false} if it was closed already
     *         (nothing changes; the first cause stays)
     */
    public boolean close(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        Acquisition closedFirst = null;
        Acquisition closedLast = null;
        int returned = 0; // upgrades' permits, of upgradable holds released while they waited
        queueLock.lock();
        try {
            if (closedBy != null) {
                return false;
            }
            closedBy = cause;
            for (long s = state; (s & WAITERS) == 0; ) { // releases may still CAS while W is clear
                long witness = (long) STATE.compareAndExchange(this, s, s | WAITERS);
                if (witness == s) {
                    break;
                }
                s = witness;
            }
            for (Acquisition node = queue.head(); node != null; ) {
                Acquisition next = node.next;
                queue.unlink(node);
                node.closeOutLocked();
                monitor.onWithdrawnLocked(Withdrawal.CLOSED);
                if (node instanceof UpgradeAcquisition upgrade) {
                    returned += upgrade.upgradable().upgradeWithdrawnLocked();
                }
                if (closedFirst == null) {
                    closedFirst = node;
                } else {
                    closedLast.next = node; // unlinked: next is free to chain the closed out
                }
                closedLast = node;
                node = next;
            }
            if (returned > 0) {
                STATE.setRelease(this, state + returned); // W set for good: we are the only writer
            }
        } finally {
            queueLock.unlock();
        }
        if (returned > 0) {
            finishEndedByWithdrawal(closedFirst);
        }
        failWithdrawn(closedFirst, Acquisition::closedOut);
        return true;
    }

    /**
     * @return whether the engine is closed: from the instant {@link #close} sets W for good, after
     *         which no acquisition can succeed (not from its earlier write of the cause, while fast
     *         paths may still take and return permits: found in review)
     */
    public boolean isClosed() {
        return isClosed(state);
    }

    /** Is the engine closed, given state {@code s} read before? (closedBy is written before W.) */
    private boolean isClosed(long s) {
        return (s & WAITERS) != 0 && closedBy != null;
    }

    /** @return the name given by the builder, or "unnamed" */
    public String name() {
        return monitor.lockName();
    }

    /** @return the counters, read under queueLock; also reports leaked guards found since */
    public LockStats stats() {
        monitor.reportLeaks();
        queueLock.lock();
        try {
            return monitor.snapshotLocked(state >>> COUNT_SHIFT, queue.length());
        } finally {
            queueLock.unlock();
        }
    }

    // ---- for guards and nodes -------------------------------------------------------------------

    Executor executor() {
        return executor;
    }

    LockMonitor monitor() {
        return monitor;
    }

    /** @return type and name, as in "AsyncMutex 'routes'" */
    String describe() {
        return monitor.lockType() + " '" + monitor.lockName() + "'";
    }

    /** @return the failure of an acquisition refused or withdrawn because the engine is closed */
    LockClosedException closedException() {
        return new LockClosedException(describe(), closedBy);
    }

    TimeoutException timeoutException() {
        return new TimeoutException(describe() + " was not acquired within the timeout");
    }

    /**
     * The engine's half of {@link PermitGuard#endHold}, the one way a hold ends: returns
     * {@code held - keep} permits of a hold of {@code held}, ending the exclusive hold if
     * {@code held} is all of them. One CAS while nobody waits, else a hand-off under queueLock.
     *
     * @param generation {@link #OWN_COUNT} for a guard that keeps its own count (it has already won
     *                   the right to end the hold, by CAS on that count); else the generation of
     *                   an exclusive hold, checked here against the state (the only such check)
     * @param loop       this thread's running {@link DeliveryTrampoline} if the caller is a
     *                   continuation it is delivering (grants are queued on it directly), or null
     * @return {@code true} if this call ended the hold; {@code false} if the exclusive hold of that
     *         generation was not live (a stale or repeated release), and then nothing changed
     */
    boolean endHold(int held, int keep, int generation, DeliveryTrampoline loop) {
        return returnPermits(held - keep, held == exclusivePermits, generation, loop);
    }

    /** Returns {@code n} permits, for a holder that has no guard (a parked waiter's lost race). */
    private void release(int n) {
        returnPermits(n, n == exclusivePermits, OWN_COUNT, null);
    }

    /**
     * Returns {@code n} permits, ending the exclusive hold if {@code endsExclusive}; with a
     * {@code generation}, only if that exclusive hold is the live one. One CAS while nobody waits;
     * otherwise, under queueLock, the return and the grants it makes possible are one write.
     *
     * @param generation {@link #OWN_COUNT} for a guard that keeps its own count (it has already won
     *                   the right to return), else the generation of an exclusive hold
     * @return {@code true} if the permits were returned; {@code false} if the generation did not
     *         match, and then nothing changed
     */
    private boolean returnPermits(int n, boolean endsExclusive, int generation, DeliveryTrampoline loop) {
        long clear = endsExclusive ? EXCLUSIVE : 0L;
        if (n == 0 && clear == 0L) {
            return true; // a hold taken over whole (an upgradable read's): nothing changes in state
        }
        long s = state;
        while ((s & WAITERS) == 0) {
            if (!isLive(s, generation)) {
                return false;
            }
            race(RacePoint.BEFORE_RETURN_CAS);
            long witness = (long) STATE.compareAndExchange(this, s, (s + n) & ~clear);
            if (witness == s) {
                return true;
            }
            s = witness;
        }
        race(RacePoint.RELEASE_BEFORE_QUEUE_LOCK);
        Acquisition granted;
        queueLock.lock();
        try {
            for (s = state; (s & WAITERS) == 0; ) {
                // The queue emptied while we waited for queueLock: a plain return, by CAS, since
                // fast paths race with us now (W cannot come back: setting it needs queueLock).
                if (!isLive(s, generation)) {
                    return false;
                }
                long witness = (long) STATE.compareAndExchange(this, s, (s + n) & ~clear);
                if (witness == s) {
                    return true;
                }
                s = witness;
            }
            if (!isLive(s, generation)) {
                return false;
            }
            // W set: we are the only writer. Returning the permits and granting them is one write,
            // so nobody sees them free in between.
            granted = grantFromHeadLocked((s + n) & ~clear);
        } finally {
            queueLock.unlock();
        }
        wakeAll(granted, loop);
        return true;
    }

    /** Lets a test's hook run at {@code point}; nothing in production. */
    private void race(RacePoint point) {
        if (raceHook != null) {
            raceHook.at(point);
        }
    }

    /** Is the hold a return is made for still live in state {@code s}? */
    private static boolean isLive(long s, int generation) {
        return generation == OWN_COUNT
                || ((s & EXCLUSIVE) != 0 && (int) (s >>> COUNT_SHIFT) == generation);
    }

    /**
     * A guard for {@code n} permits just taken by the calling thread synchronously (lock, try):
     * {@link #newHold}, counted as the thread's if the engine detects self-deadlocks.
     */
    private PermitGuard newThreadHold(int n, int ticket) {
        PermitGuard guard = newHold(n, ticket);
        return threadHolds == null ? guard : threadHolds.track(guard, n);
    }

    /** A guard for {@code n} permits just taken, at {@code ticket}: lean if exclusive and unwatched. */
    private PermitGuard newHold(int n, int ticket) {
        return n == exclusivePermits && !monitor.wantsToWatch(ticket)
                ? new ExclusiveHold(this, ticket)
                : new Hold(this, n, ticket);
    }

    /** The completed stage for {@code n} permits just taken, at {@code ticket}. */
    private CompletableFuture<Guard> newGrantedStage(int n, int ticket) {
        return n == exclusivePermits && !monitor.wantsToWatch(ticket)
                ? new ExclusiveGrant(this, ticket)
                : Acquisition.grantedAtOnce(this, n, ticket);
    }

    /**
     * Withdraws a queued node.
     *
     * @return {@code true} if the node was queued and is now withdrawn; {@code false} if it had
     *         already been granted (the caller must then keep or release the grant)
     */
    boolean withdraw(Acquisition node, Withdrawal reason) {
        race(RacePoint.WITHDRAW_BEFORE_QUEUE_LOCK);
        Acquisition granted;
        int returned; // an upgrade's permits, if its upgradable hold was released while it waited
        queueLock.lock();
        try {
            if (!queue.contains(node)) {
                return false; // not linked: granted (or withdrawn) already
            }
            boolean wasHead = node == queue.head();
            queue.unlink(node);
            monitor.onWithdrawnLocked(reason);
            returned = node instanceof UpgradeAcquisition upgrade ? upgrade.upgradable().upgradeWithdrawnLocked() : 0;
            granted = wasHead || returned > 0 ? grantFromHeadLocked(state + returned) : null;
        } finally {
            queueLock.unlock();
        }
        if (returned > 0) {
            finishEndedByWithdrawal(node); // unlinked: its next is null, the chain is the node alone
        }
        wakeAll(granted, null);
        return true;
    }

    // ---- the algorithm --------------------------------------------------------------------------

    /** The fairness policy: may {@code n} permits be taken without queueing, given {@code s}? */
    private static boolean admitsAtOnce(long s, int n) {
        return (s & WAITERS) == 0 && (s & PERMITS) >= n;
    }

    /**
     * The lock-free fast path: one CAS while the policy admits.
     *
     * @return the new state if the permits were taken, else {@link #NOT_TAKEN}
     */
    private long tryTake(int n) {
        long s = state;
        while (admitsAtOnce(s, n)) {
            long next = afterTaking(s, n);
            race(RacePoint.BEFORE_TAKE_CAS);
            long witness = (long) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return counted(next);
            }
            s = witness;
        }
        return NOT_TAKEN;
    }

    /**
     * The state after an upgrade's grant of the {@code need} permits its upgradable hold lacks:
     * taken, counted, and EXCLUSIVE set, as for a write grant (the hold is all permits now).
     */
    private static long afterUpgrade(long s, int need) {
        return s - need + COUNT_ONE + EXCLUSIVE;
    }

    /**
     * The state after a grant of {@code n} permits in state {@code s}: the permits taken, the
     * grant counted, EXCLUSIVE set if they are all of them. Every grant, fast or queued, is this
     * transition; pass the state to {@link #counted} once it has been written.
     */
    private long afterTaking(long s, int n) {
        return s - n + COUNT_ONE + (n == exclusivePermits ? EXCLUSIVE : 0L);
    }

    /** Notes, for the stats, a grant whose written state wrapped the 31-bit count. */
    private long counted(long written) {
        if (written >>> COUNT_SHIFT == 0) {
            monitor.onCountWrapped();
        }
        return written;
    }

    /** The grant count a take wrote: a ticket for sampling, and the generation of an exclusive hold. */
    private static int ticket(long takenState) {
        return (int) (takenState >>> COUNT_SHIFT);
    }

    private CompletionStage<Guard> enqueueAsync(int n, long timeoutNanos) {
        boolean timed = timeoutNanos < FOREVER_NANOS;
        long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
        Acquisition acquisition = timed ? new TimedAcquisition(this, n, deadline) : new Acquisition(this, n);
        long taken;
        try {
            taken = takeOrEnqueue(acquisition);
        } catch (RejectedExecutionException | LockClosedException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        if (taken != NOT_TAKEN) {
            acquisition.completeGrantedInline(ticket(taken));
        } else if (timed) {
            deadlineTimer().arm(deadline); // queued first: the walk that fires sees it
        }
        return acquisition;
    }

    /** The engine's timer, made on the first timed acquisition that queues. */
    private DeadlineTimer deadlineTimer() {
        DeadlineTimer timer = deadlineTimer;
        if (timer == null) {
            DeadlineTimer made = new DeadlineTimer(this);
            timer = (DeadlineTimer) DEADLINE_TIMER.compareAndExchange(this, null, made);
            if (timer == null) {
                timer = made;
            }
        }
        return timer;
    }

    /**
     * For the {@link DeadlineTimer}: withdraws every queued {@code acquire(Duration)} whose
     * deadline is at or before {@code now} (counted as timeouts), grants whoever that lets in,
     * then fails the withdrawn stages with the lock's {@link TimeoutException}, oldest first.
     *
     * @return the earliest deadline still queued, or {@link Long#MAX_VALUE} if none
     */
    long expireDue(long now) {
        Acquisition expiredFirst = null;
        Acquisition expiredLast = null;
        Acquisition granted = null;
        long earliest = Long.MAX_VALUE;
        int returned = 0; // upgrades' permits, of upgradable holds released while they waited
        queueLock.lock();
        try {
            Acquisition oldHead = queue.head();
            for (Acquisition node = oldHead; node != null; ) {
                Acquisition next = node.next;
                if (node instanceof TimedAcquisition timed && timed.deadline() != TimedAcquisition.NO_DEADLINE) {
                    long deadline = timed.deadline();
                    if (deadline - now <= 0) {
                        queue.unlink(node);
                        monitor.onWithdrawnLocked(Withdrawal.TIMEOUT);
                        if (node instanceof UpgradeAcquisition upgrade) {
                            returned += upgrade.upgradable().upgradeWithdrawnLocked();
                        }
                        if (expiredFirst == null) {
                            expiredFirst = node;
                        } else {
                            expiredLast.next = node; // unlinked: next is free to chain the expired
                        }
                        expiredLast = node;
                    } else if (deadline < earliest) {
                        earliest = deadline;
                    }
                }
                node = next;
            }
            if (queue.head() != oldHead || returned > 0) {
                granted = grantFromHeadLocked(state + returned); // the head left: its successor may fit now
            }
        } finally {
            queueLock.unlock();
        }
        if (returned > 0) {
            finishEndedByWithdrawal(expiredFirst); // before the permits reach anyone else
        }
        wakeAll(granted, null);
        failWithdrawn(expiredFirst, Acquisition::timedOut);
        return earliest;
    }

    /**
     * Outside queueLock, by the thread whose withdrawal under the lock (cancel, expiry, close) gave
     * back the permits of upgradable holds released while their upgrades waited: ends those holds'
     * bookkeeping, walking the withdrawn nodes chained through {@code next}, before the permits
     * reach anyone else and before the stages fail.
     */
    private static void finishEndedByWithdrawal(Acquisition first) {
        for (Acquisition node = first; node != null; node = node.next) {
            if (node instanceof UpgradeAcquisition upgrade) {
                upgrade.upgradable().finishIfEndedByWithdrawal();
            }
        }
    }

    /**
     * Outside queueLock: fails, oldest first, the nodes a walk under the lock withdrew and chained
     * through {@code next} (expiry, close), clearing each link before the node's stage completes.
     */
    private static void failWithdrawn(Acquisition first, Consumer<Acquisition> fail) {
        for (Acquisition node = first; node != null; ) {
            Acquisition next = node.next;
            node.next = null;
            fail.accept(node);
            node = next;
        }
    }

    /**
     * Queues a parked acquisition and waits for it.
     *
     * @return the guard, or {@code null} if the timeout elapsed first (the node is withdrawn)
     */
    private Guard lockQueued(int n, long timeoutNanos) throws InterruptedException {
        ParkedAcquisition node = new ParkedAcquisition(this, n, Thread.currentThread());
        long taken = takeOrEnqueue(node);
        if (taken != NOT_TAKEN) {
            return newThreadHold(n, ticket(taken));
        }
        if (!awaitGrant(node, timeoutNanos)) {
            return null;
        }
        return newThreadHold(n, node.ticket());
    }

    /**
     * Under queueLock: takes the node's permits at once if the policy admits, else sets W and
     * appends the node.
     *
     * @return the new state if the permits were taken at once (the node is never linked then),
     *         else {@link #NOT_TAKEN}
     * @throws RejectedExecutionException if the queue is full ({@code maxWaiters})
     * @throws LockClosedException if the engine is closed
     */
    private long takeOrEnqueue(Acquisition node) {
        int n = node.permits();
        boolean rejected;
        queueLock.lock();
        try {
            race(RacePoint.ENQUEUE_UNDER_QUEUE_LOCK);
            if (closedBy != null) {
                monitor.onRejectedLocked();
                throw closedException();
            }
            long s = state;
            if (threadHolds != null && node instanceof ParkedAcquisition && !admitsAtOnce(s, n)) {
                checkSelfDeadlockLocked(n); // throws before anything is queued
            }
            while (true) {
                if (admitsAtOnce(s, n)) {
                    long next = afterTaking(s, n);
                    long witness = (long) STATE.compareAndExchange(this, s, next);
                    if (witness == s) {
                        return counted(next);
                    }
                    s = witness;
                } else if (queue.length() >= maxWaiters) {
                    monitor.onRejectedLocked(); // the engine decides admission; the monitor counts
                    rejected = true;
                    break;
                } else if ((s & WAITERS) != 0) {
                    appendLocked(node); // W set: we are the only writer of state now
                    return NOT_TAKEN;
                } else {
                    long witness = (long) STATE.compareAndExchange(this, s, s | WAITERS);
                    if (witness == s) {
                        appendLocked(node);
                        return NOT_TAKEN;
                    }
                    s = witness;
                }
            }
        } finally {
            queueLock.unlock();
        }
        throw new RejectedExecutionException(describe() + " already has " + maxWaiters
                + " waiters (maxWaiters); acquisition refused");
    }

    /**
     * Under queueLock, for a thread about to park for {@code n} permits of an engine built with
     * detectSelfDeadlock: refuses a wait that only the calling thread's own holds could end.
     *
     * @throws IllegalStateException if this thread holds all the permits (it would wait for
     *         itself), holds so many that its request can never fit beside them, or holds permits
     *         that a waiting request ahead of it needs (a read lock taken again while a writer
     *         waits for the first one)
     */
    private void checkSelfDeadlockLocked(int n) {
        int mine = threadHolds.heldByCurrentThread();
        if (mine <= 0) {
            return;
        }
        String why = null;
        if (mine >= totalPermits) {
            why = "the calling thread already holds it (not reentrant)";
        } else if (n > totalPermits - mine) {
            why = "the calling thread holds " + mine + " of its " + totalPermits + " permits and asks for " + n
                    + " more, which can never be free beside its own";
        } else {
            for (Acquisition node = queue.head(); node != null; node = node.next) {
                // An upgrade needs every permit but its own upgradable hold's: all of this thread's others.
                boolean waitsForMine = node instanceof UpgradeAcquisition upgrade
                        ? othersHeldByCurrentThread(mine, upgrade.upgradable()) > 0
                        : node.permits() > totalPermits - mine;
                if (waitsForMine) {
                    why = "the calling thread holds " + mine + " of its permits, and a request queued ahead (for "
                            + node.permits() + ") waits for them: the calling thread would wait for itself";
                    break;
                }
            }
        }
        if (why != null) {
            throw new IllegalStateException(describe() + ": lock() would wait forever: " + why
                    + " (detectSelfDeadlock)");
        }
    }

    /** @return of the calling thread's {@code mine} permits, those not in {@code upgradable}'s hold */
    private int othersHeldByCurrentThread(int mine, UpgradableHold upgradable) {
        return upgradable.isCountedIn(threadHolds.currentCount()) ? mine - upgradable.permits() : mine;
    }

    /**
     * Under queueLock, for a thread about to park in {@code lockUpgrade} of an engine built with
     * detectSelfDeadlock: the upgrade waits for every permit but the upgradable hold's own.
     *
     * @return why the wait could only end by the calling thread's own release, or null
     */
    private String upgradeSelfDeadlockLocked(UpgradableHold upgradable) {
        int others = othersHeldByCurrentThread(threadHolds.heldByCurrentThread(), upgradable);
        return others <= 0 ? null : "the calling thread holds " + others + " other permits of it (reads), "
                + "which the upgrade waits for";
    }

    /**
     * Under queueLock, with W set: starting from state {@code s} (which may already include
     * permits being returned), grants from the head while the head's need fits, clears W if the
     * queue empties, writes the result to state once, and returns the granted nodes chained
     * through {@code next}, oldest first.
     */
    private Acquisition grantFromHeadLocked(long s) {
        Acquisition first = null;
        Acquisition last = null;
        long before = s;
        for (Acquisition node = queue.head(); node != null && (s & PERMITS) >= node.permits(); node = queue.head()) {
            // written below, under queueLock with W set
            s = counted(node instanceof UpgradeAcquisition ? afterUpgrade(s, node.permits()) : afterTaking(s, node.permits()));
            queue.unlink(node);
            if (first == null) {
                first = node;
            } else {
                last.next = node;
            }
            last = node;
        }
        if (queue.isEmpty() && closedBy == null) {
            s &= ~WAITERS; // once closed, W stays set: every fast path keeps failing
        }
        race(RacePoint.GRANT_BEFORE_PUBLISH);
        // W was set on entry: no fast path can have written state meanwhile. A release store: the
        // granted see it through the release stores that mark them, fast paths through their CAS.
        STATE.setRelease(this, s);
        // Only now may the granted see their grant: a waiter that wakes by itself (a timed park)
        // and finds its node granted must also find its hold in state (isReleased, downgrade).
        long now = 0L;
        boolean clockRead = false;
        long counted = before;
        for (Acquisition node = first; node != null; node = node.next) {
            counted += COUNT_ONE; // the batch's grants were counted one by one, in this order
            if (node instanceof UpgradeAcquisition upgrade) {
                upgrade.markGranted(ticket(counted), exclusivePermits); // the write hold, all permits
                upgrade.upgradable().endedByUpgradeLocked();
            } else {
                node.markGranted(ticket(counted));
            }
            Long enqueuedAt = node.enqueueStamp(); // only sampled waits are timed: one clock read a batch
            if (enqueuedAt != null && !clockRead) {
                now = System.nanoTime();
                clockRead = true;
            }
            monitor.onGrantedLocked(enqueuedAt == null ? LockMonitor.NOT_SAMPLED : now - enqueuedAt);
        }
        return first;
    }

    private void appendLocked(Acquisition node) {
        int length = queue.append(node);
        if (monitor.onEnqueuedLocked(length)) {
            node.stampEnqueued(System.nanoTime()); // a sampled wait (LockMonitor's overview)
        }
    }

    /**
     * Outside queueLock: wakes a batch of granted nodes, oldest first, then delivers the async
     * ones that this thread is to deliver, in the same order. The trampoline is entered before the
     * first async node is woken, so even an executor that runs its task in place only queues the
     * delivery: every member of the batch is queued before any member's continuation can grant
     * (and queue) more. If this thread is already delivering (a release from inside a
     * continuation), the running loop delivers them.
     *
     * @param running this thread's trampoline if the caller knows it is running (a release from
     *                a continuation it is delivering: no {@link ThreadLocal} lookup), else null
     */
    private void wakeAll(Acquisition node, DeliveryTrampoline running) {
        DeliveryTrampoline loop = running;
        boolean entered = false;
        try {
            while (node != null) {
                Acquisition next = node.next;
                node.next = null;
                if (loop == null && !(node instanceof ParkedAcquisition)) {
                    loop = DeliveryTrampoline.current();
                    entered = loop.enter();
                }
                if (node.enqueueStamp() != null) { // a timed wait: the only kind the monitor reports
                    monitor.afterGrant(node, queue.lengthNow()); // before wake(), which drops the stamp
                }
                node.wake(loop);
                node = next;
            }
        } finally {
            if (entered) {
                loop.runAndExit();
            }
        }
    }

    /**
     * Parks until {@code node} is granted, the timeout elapses, or the thread is interrupted.
     *
     * @return {@code true} if granted; {@code false} if the timeout elapsed and the node was
     *         withdrawn
     * @throws InterruptedException if interrupted; the node is withdrawn, or its grant released
     */
    private boolean awaitGrant(ParkedAcquisition node, long timeoutNanos) throws InterruptedException {
        long deadline = timeoutNanos == NO_TIMEOUT ? 0L : System.nanoTime() + timeoutNanos;
        if (!Thread.currentThread().isVirtual()) { // the node's own thread
            // A bounded spin first (PARK_SPINS): the grant often lands within a short section.
            for (int i = PARK_SPINS; i > 0 && !node.isGranted() && !node.isClosedOut(); i--) {
                Thread.onSpinWait();
            }
        }
        while (!node.isGranted()) {
            if (node.isClosedOut()) {
                throw closedException(); // withdrawn by close(): never granted, nothing to release
            }
            if (timeoutNanos == NO_TIMEOUT) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0L) {
                    // Exactly one of timeout, grant and close wins; a grant or close that got there
                    // first stands (the loop's checks tell which).
                    if (withdraw(node, Withdrawal.TIMEOUT)) {
                        return false;
                    }
                    continue;
                }
                LockSupport.parkNanos(this, left);
            }
            if (Thread.interrupted()) {
                if (!withdraw(node, Withdrawal.INTERRUPTED) && node.isGranted()) {
                    release(node.permits()); // granted at the same instant: leave nothing behind
                }
                throw new InterruptedException();
            }
        }
        return true;
    }

    /** Validates a timeout and converts it, saturating: too long for a long means no timeout. */
    static long toNanos(Duration timeout) {
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
        return "HandOffSemaphore[" + describe() + ", available=" + availablePermits()
                + ", queued=" + queue.lengthNow() + (isClosed() ? ", closed" : "") + "]";
    }
}
