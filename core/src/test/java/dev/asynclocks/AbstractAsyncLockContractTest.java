package dev.asynclocks;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

import static dev.asynclocks.StageAssertions.assertFailedWith;
import static dev.asynclocks.StageAssertions.assertGranted;
import static dev.asynclocks.StageAssertions.assertPending;
import static dev.asynclocks.StageAssertions.assertReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@link AsyncLock} contract, run against every lock: the mutex, both views of the read-write
 * lock, and permits of the semaphore.
 *
 * <p>A concrete subclass supplies a {@link Subject}: the lock under test, plus a <em>blocker</em>,
 * a lock that excludes it (the lock itself for an exclusive lock; the write view for the read
 * view). Tests hold the blocker to make the lock wait, and queue the lock and the blocker
 * alternately where the order of grants matters, so every test reads the same for shared and
 * exclusive locks.
 *
 * <p>No test sleeps to synchronize: they wait for observable state (queue length, thread state,
 * completed stages) with a bounded poll ({@link Await}).
 */
abstract class AbstractAsyncLockContractTest {

    /** Rounds per race; override with {@code -Dasynclocks.raceRounds=N}. */
    static final int RACE_ROUNDS = Integer.getInteger("asynclocks.raceRounds", 10_000);

    /** Rounds per race that involves a timer or a new (virtual) thread per round. */
    static final int SLOW_RACE_ROUNDS = Math.max(1, RACE_ROUNDS / 5);

    /** Length of the stack-safety chain. */
    static final int CHAIN = 1_000_000;

    /** The seed of the randomized tests; override with {@code -Dasynclocks.seed=N}. */
    static final long SEED = Long.getLong("asynclocks.seed", 20_250_101L);

    /**
     * One fresh primitive, as the contract sees it.
     *
     * @param lock        the lock under test
     * @param blocker     a lock of the same primitive that excludes {@code lock} (may be {@code lock})
     * @param queueLength the primitive's queue length
     * @param closer      closes the primitive ({@code close(cause)}), answering whether this call did
     */
    protected record Subject(AsyncLock lock, AsyncLock blocker, IntSupplier queueLength,
                             Predicate<Throwable> closer) {
    }

    /**
     * @param executor the builder's continuation executor, or {@code null} for the default
     * @return a fresh, free primitive
     */
    protected abstract Subject newSubject(Executor executor);

    Subject subject;
    AsyncLock lock;
    AsyncLock blocker;

    @BeforeEach
    void createSubject() {
        subject = newSubject(null);
        lock = subject.lock();
        blocker = subject.blocker();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    int queued() {
        return subject.queueLength().getAsInt();
    }

    /** Takes the blocker of a free subject: the lock must then wait. */
    static Guard hold(Subject s) {
        return s.blocker().tryAcquire().orElseThrow(() -> new AssertionError("blocker not free"));
    }

    Guard hold() {
        return hold(subject);
    }

    /** Starts {@code style} on {@code who} and waits until it is in the queue. */
    CompletionStage<Guard> enqueue(AcquireStyle style, AsyncLock who) {
        int before = queued();
        CompletionStage<Guard> stage = style.start(who);
        Await.until(style + " is queued", () -> queued() == before + 1);
        return stage;
    }

    /** Asserts that nothing is held and nobody waits: both sides can be taken at once. */
    static void assertFree(Subject s) {
        assertEquals(0, s.queueLength().getAsInt(), "queue length");
        Guard blocking = s.blocker().tryAcquire().orElseThrow(() -> new AssertionError("blocker not free: lock lost?"));
        blocking.release();
        Guard own = s.lock().tryAcquire().orElseThrow(() -> new AssertionError("lock not free: lock lost?"));
        own.release();
    }

    void assertFree() {
        assertFree(subject);
    }

    /** Waits until nothing is held and nobody waits (for effects that land on another thread). */
    static void awaitFree(Subject s) {
        Await.until("the lock is free", () -> {
            if (s.queueLength().getAsInt() != 0) {
                return false;
            }
            Optional<Guard> guard = s.blocker().tryAcquire();
            guard.ifPresent(Guard::release);
            return guard.isPresent();
        });
        assertFree(s);
    }

    /** Asserts that a hold (or a hand-off) keeps the blocker out. */
    static void assertBlockerExcluded(Subject s) {
        Optional<Guard> barged = s.blocker().tryAcquire();
        barged.ifPresent(Guard::release);
        assertTrue(barged.isEmpty(), "the blocker got in while it should be excluded");
    }

    /** Asserts that the lock cannot be taken at once. */
    static void assertLockExcluded(Subject s) {
        Optional<Guard> barged = s.lock().tryAcquire();
        barged.ifPresent(Guard::release);
        assertTrue(barged.isEmpty(), "the lock was taken while it should be excluded");
    }

    /** A guard the library did not make. */
    static final class ForeignGuard implements Guard {
        private volatile boolean released;

        @Override
        public void release() {
            released = true;
        }

        @Override
        public boolean isReleased() {
            return released;
        }
    }

    /** An executor that only queues tasks; the test runs them when it wants to. */
    static final class ManualExecutor implements Executor {
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        int runAll() {
            int ran = 0;
            for (Runnable task; (task = tasks.poll()) != null; ran++) {
                task.run();
            }
            return ran;
        }
    }

    // ---- pending, then granted --------------------------------------------------------------------

    @Test
    void acquireOfAFreeLockIsGrantedAtOnce() {
        Guard guard = assertGranted(lock.acquire());
        assertEquals(0, queued());
        assertBlockerExcluded(subject);
        guard.release();
        assertTrue(guard.isReleased());
        assertFree();
    }

    @ParameterizedTest
    @EnumSource(AcquireStyle.class)
    void everyStyleTakesAFreeLock(AcquireStyle style) {
        Guard guard = Await.value(style.start(lock));
        assertFalse(guard.isReleased());
        assertBlockerExcluded(subject);
        guard.release();
        assertFree();
    }

    @ParameterizedTest
    @EnumSource(value = AcquireStyle.class, names = {"ACQUIRE", "ACQUIRE_TIMED", "LOCK", "LOCK_TIMED", "WITH_LOCK"})
    void everyWaitingStyleIsPendingWhileBlockedAndGrantedOnRelease(AcquireStyle style) {
        Guard holder = hold();
        CompletionStage<Guard> waiting = enqueue(style, lock);
        assertPending(waiting);
        assertEquals(1, queued());
        holder.release();
        Guard guard = Await.value(waiting);
        assertEquals(0, queued());
        assertBlockerExcluded(subject);
        guard.release();
        assertFree();
    }

    // ---- fairness ---------------------------------------------------------------------------------

    /**
     * Alternating the lock and its blocker, so that neighbours in the queue exclude each other,
     * grants happen one at a time, in the order of the calls, whatever the acquisition styles.
     */
    @Test
    void grantsInTheOrderOfTheAcquireCallsWhateverTheStyle() {
        Random random = new Random(SEED);
        System.out.println(getClass().getSimpleName() + ".grantsInTheOrderOfTheAcquireCalls: seed " + SEED);
        AcquireStyle[] styles = {AcquireStyle.ACQUIRE, AcquireStyle.ACQUIRE_TIMED, AcquireStyle.LOCK,
                AcquireStyle.LOCK_TIMED, AcquireStyle.WITH_LOCK};
        Guard current = hold();
        List<CompletionStage<Guard>> waiting = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            AcquireStyle style = styles[random.nextInt(styles.length)];
            AsyncLock who = i % 2 == 0 ? lock : blocker;
            names.add((who == lock ? "lock." : "blocker.") + style);
            waiting.add(enqueue(style, who));
        }
        for (int i = 0; i < waiting.size(); i++) {
            for (int j = i; j < waiting.size(); j++) {
                assertPending(waiting.get(j));
            }
            assertEquals(waiting.size() - i, queued(), "seed " + SEED);
            current.release();
            current = Await.value(waiting.get(i));
            for (int j = i + 1; j < waiting.size(); j++) {
                int k = j;
                assertFalse(waiting.get(j).toCompletableFuture().isDone(),
                        () -> "seed " + SEED + ": " + names.get(k) + " (#" + k + ") overtook " + names);
            }
        }
        current.release();
        assertFree();
    }

    @Test
    void tryAcquireNeverBargesPastAWaiter() throws Exception {
        Guard holder = hold();
        CompletionStage<Guard> waiter = lock.acquire();
        assertLockExcluded(subject);
        assertBlockerExcluded(subject);
        assertFailedWith(TimeoutException.class, lock.acquire(Duration.ZERO));
        assertFailedWith(TimeoutException.class, blocker.acquire(Duration.ZERO));
        assertThrows(TimeoutException.class, () -> lock.lock(Duration.ZERO));
        assertEquals(1, queued(), "a failed try must not queue");
        holder.release();
        Guard guard = assertGranted(waiter);
        assertBlockerExcluded(subject);
        guard.release();
        assertFree();
    }

    /** A builder executor that defers delivery freezes the moment a waiter is handed the lock. */
    @Test
    void tryAcquireFailsWhileTheLockIsBeingHandedToAWaiter() {
        ManualExecutor executor = new ManualExecutor();
        Subject s = newSubject(executor);
        Guard holder = hold(s);
        CompletionStage<Guard> waiter = s.lock().acquire();
        holder.release();
        assertPending(waiter); // granted, not yet delivered
        assertEquals(0, s.queueLength().getAsInt());
        assertEquals(1, executor.tasks.size());
        assertBlockerExcluded(s);
        assertFailedWith(TimeoutException.class, s.blocker().acquire(Duration.ZERO));
        CompletionStage<Guard> next = s.blocker().acquire();
        assertEquals(1, executor.runAll());
        Guard guard = assertGranted(waiter);
        assertPending(next);
        guard.release();
        executor.runAll();
        assertGranted(next).release();
        assertFree(s);
    }

    // ---- guards -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(AcquireStyle.class)
    void aReleasedGuardNeverFreesSomebodyElsesHold(AcquireStyle style) {
        Guard stale = Await.value(style.start(lock));
        stale.release();
        assertTrue(stale.isReleased());
        stale.release();
        stale.close();
        assertTrue(stale.isReleased());

        Guard other = hold();
        stale.release();
        stale.close();
        assertFalse(other.isReleased());
        assertLockExcluded(subject);
        CompletionStage<Guard> waiter = lock.acquire();
        stale.release();
        assertPending(waiter);
        other.release();
        Guard guard = assertGranted(waiter);
        stale.release();
        other.release();
        assertBlockerExcluded(subject);
        guard.release();
        assertFree();
    }

    @Test
    void closeReleasesLikeRelease() {
        try (Guard guard = assertGranted(lock.acquire())) {
            assertBlockerExcluded(subject);
            assertFalse(guard.isReleased());
        }
        assertFree();
    }

    @Test
    void aGuardMayBeReleasedByAnotherThread() throws Exception {
        Guard guard = lock.lock();
        Thread releaser = Thread.ofVirtual().start(guard::release);
        Await.terminated(releaser);
        assertTrue(guard.isReleased());
        assertFree();
    }

    // ---- cancellation -----------------------------------------------------------------------------

    @Test
    void cancellingAQueuedAcquisitionWithdrawsIt() {
        Guard holder = hold();
        CompletableFuture<Guard> first = lock.acquire().toCompletableFuture();
        CompletableFuture<Guard> cancelled = blocker.acquire().toCompletableFuture();
        CompletableFuture<Guard> last = blocker.acquire().toCompletableFuture();
        assertEquals(3, queued());
        assertTrue(cancelled.cancel(true));
        assertTrue(cancelled.isCancelled());
        assertFailedWith(CancellationException.class, cancelled);
        assertEquals(2, queued());
        assertTrue(cancelled.cancel(true), "cancelling again reports 'cancelled', as CompletableFuture does");
        assertEquals(2, queued(), "a second cancel changes nothing");
        holder.release();
        Guard firstGuard = assertGranted(first);
        assertPending(last);
        firstGuard.release();
        Guard lastGuard = assertGranted(last);
        lastGuard.release();
        assertFree();
    }

    @Test
    void cancellingTheHeadMovesTheNextWaiterUp() {
        Guard holder = hold();
        CompletableFuture<Guard> head = lock.acquire().toCompletableFuture();
        CompletableFuture<Guard> next = blocker.acquire().toCompletableFuture();
        assertTrue(head.cancel(false));
        assertEquals(1, queued());
        assertPending(next);
        holder.release();
        assertGranted(next).release();
        assertFree();
    }

    @Test
    void cancellingAGrantedAcquisitionDoesNothing() {
        CompletableFuture<Guard> granted = lock.acquire().toCompletableFuture();
        Guard guard = assertGranted(granted);
        assertFalse(granted.cancel(true));
        assertFalse(granted.isCancelled());
        assertFalse(guard.isReleased());
        assertBlockerExcluded(subject);
        guard.release();
        assertFree();
    }

    /**
     * The grant happened, the delivery has not (it waits on the executor): the grant is the point
     * that decides, so the cancel loses and the guard still arrives; exactly one side wins.
     */
    @Test
    void cancellingAGrantNotYetDeliveredLosesAndTheGuardArrives() {
        ManualExecutor executor = new ManualExecutor();
        Subject s = newSubject(executor);
        Guard holder = hold(s);
        CompletableFuture<Guard> handedOver = s.lock().acquire().toCompletableFuture();
        CompletableFuture<Guard> next = s.blocker().acquire().toCompletableFuture();
        holder.release();
        assertPending(handedOver);
        assertFalse(handedOver.cancel(true), "cancel after the grant loses");
        assertFalse(handedOver.completeExceptionally(new IllegalStateException("late")), "so does a failure");
        executor.runAll();
        assertFalse(handedOver.isCancelled());
        Guard guard = assertGranted(handedOver);
        assertPending(next);
        guard.release();
        executor.runAll();
        assertGranted(next).release();
        executor.runAll();
        assertFree(s);
    }

    /** Obtruding overrides even a grant that is not yet delivered: the hold is released, passed on. */
    @Test
    void obtrudingAGrantNotYetDeliveredPassesTheLockOn() {
        ManualExecutor executor = new ManualExecutor();
        Subject s = newSubject(executor);
        Guard holder = hold(s);
        CompletableFuture<Guard> handedOver = s.lock().acquire().toCompletableFuture();
        CompletableFuture<Guard> next = s.blocker().acquire().toCompletableFuture();
        holder.release();
        assertPending(handedOver);
        handedOver.obtrudeException(new IllegalStateException("caller gave up"));
        executor.runAll();
        assertTrue(handedOver.isCompletedExceptionally());
        Guard guard = assertGranted(next);
        guard.release();
        executor.runAll();
        assertFree(s);
    }

    /** IBM async-util's FairAsyncLock handed out its queue node; cancelling it broke the lock. */
    @Test
    void regressionCancellingTheReturnedFutureOfAQueuedAcquisitionLeavesTheLockUsable() {
        Guard holder = hold();
        CompletableFuture<Guard> queuedFuture = lock.acquire().toCompletableFuture();
        queuedFuture.cancel(true);
        holder.release();
        assertFree();
        for (int i = 0; i < 3; i++) {
            assertGranted(lock.acquire()).release();
            assertGranted(blocker.acquire()).release();
        }
        Guard again = hold();
        CompletionStage<Guard> a = lock.acquire();
        CompletionStage<Guard> b = blocker.acquire();
        again.release();
        assertPending(b);
        assertGranted(a).release();
        assertGranted(b).release();
        assertFree();
    }

    /** Cancel on one thread, release (and so grant) on the other: exactly one wins, every round. */
    @Test
    void cancelRacingWithTheGrantHasExactlyOneWinner() throws Exception {
        final class Round {
            Guard holder;
            CompletableFuture<Guard> racer;
            CompletableFuture<Guard> next;
            boolean cancelled;
        }
        String summary = TwoThreadRace.run(RACE_ROUNDS, () -> {
            Round r = new Round();
            r.holder = hold();
            r.racer = lock.acquire().toCompletableFuture();
            r.next = blocker.acquire().toCompletableFuture();
            return r;
        }, r -> r.holder.release(), r -> r.cancelled = r.racer.cancel(true), (r, round) -> {
            if (r.cancelled) {
                assertTrue(r.racer.isCancelled(), "cancel returned true but the future is not cancelled");
                assertGranted(r.next).release();
            } else {
                assertFalse(r.racer.isCancelled());
                Guard guard = assertGranted(r.racer);
                assertPending(r.next);
                guard.release();
                assertGranted(r.next).release();
            }
            assertFree();
            return !r.cancelled;
        });
        System.out.println(getClass().getSimpleName() + ".cancelRacingWithTheGrant: grant (left) vs cancel (right): "
                + summary);
    }

    /**
     * When a dependent of the cancelled stage runs, the acquisition has left the queue already.
     * (Otherwise a continuation of a timed-out acquisition that retries with {@code tryAcquire},
     * or reads {@code queueLength()}, sees the dead acquisition still queued.)
     */
    @Test
    void aDependentOfACancelledAcquisitionSeesItWithdrawn() {
        Guard holder = hold();
        CompletableFuture<Guard> waiter = lock.acquire().toCompletableFuture();
        AtomicInteger seenQueueLength = new AtomicInteger(-1);
        waiter.whenComplete((g, failure) -> seenQueueLength.set(queued()));
        assertTrue(waiter.cancel(true));
        assertEquals(0, seenQueueLength.get(), "queue length seen by the cancelled stage's dependent");
        holder.release();
        assertFree();
    }

    /**
     * The same for a timeout: when the dependents of a timed-out stage run (on the JDK's timer
     * thread), the acquisition has left the queue, so no release can grant it any more.
     */
    @Test
    void aDependentOfATimedOutAcquisitionSeesItWithdrawn() {
        Guard holder = hold();
        // Long enough for the dependent to be registered before the timer fires (if it is not,
        // the dependent runs after the withdrawal and the test passes: never a false failure).
        CompletableFuture<Guard> timed = lock.acquire(Duration.ofMillis(50)).toCompletableFuture();
        AtomicInteger seenQueueLength = new AtomicInteger(-1);
        timed.whenComplete((g, failure) -> seenQueueLength.set(queued()));
        Await.done(timed);
        Await.until("the dependent ran", () -> seenQueueLength.get() != -1);
        assertEquals(0, seenQueueLength.get(), "queue length seen by the timed-out stage's dependent");
        holder.release();
        awaitFree(subject);
    }

    // ---- the caller's stage is the caller's ------------------------------------------------------

    /** Every way a caller can complete the future of an acquisition, from outside. */
    enum Tamper {
        CANCEL_INTERRUPTING(f -> f.cancel(true)),
        CANCEL(f -> f.cancel(false)),
        COMPLETE_WITH_NULL(f -> f.complete(null)),
        COMPLETE_WITH_FOREIGN_GUARD(f -> f.complete(new ForeignGuard())),
        COMPLETE_EXCEPTIONALLY(f -> f.completeExceptionally(new IllegalStateException("caller"))),
        OBTRUDE_NULL(f -> {
            f.obtrudeValue(null);
            return null;
        }),
        OBTRUDE_FOREIGN_GUARD(f -> {
            f.obtrudeValue(new ForeignGuard());
            return null;
        }),
        OBTRUDE_EXCEPTION(f -> {
            f.obtrudeException(new IllegalStateException("caller"));
            return null;
        }),
        COMPLETE_ASYNC(f -> {
            CompletableFuture<Void> ran = new CompletableFuture<>();
            f.completeAsync(() -> null, task -> ForkJoinPool.commonPool().execute(() -> {
                task.run();
                ran.complete(null);
            }));
            return ran;
        }),
        COMPLETE_ASYNC_DEFAULT_EXECUTOR(f -> f.completeAsync(ForeignGuard::new)),
        OR_TIMEOUT(f -> f.orTimeout(1, TimeUnit.NANOSECONDS)),
        COMPLETE_ON_TIMEOUT(f -> f.completeOnTimeout(null, 1, TimeUnit.NANOSECONDS));

        private final Function<CompletableFuture<Guard>, Object> action;

        Tamper(Function<CompletableFuture<Guard>, Object> action) {
            this.action = action;
        }

        /** Applies the tampering; returns a stage done once the tampering has fully run. */
        CompletableFuture<?> apply(CompletableFuture<Guard> future) {
            Object result = action.apply(future);
            return result instanceof CompletableFuture<?> ran && this == COMPLETE_ASYNC
                    ? ran : CompletableFuture.completedFuture(null);
        }

        /** Obtruding replaces the outcome of a completed future: the granted hold is abandoned. */
        boolean abandonsAGrant() {
            return name().startsWith("OBTRUDE");
        }

        /** Whether it completes a pending future at once, on the calling thread. */
        boolean synchronous() {
            return !(this == COMPLETE_ASYNC || this == COMPLETE_ASYNC_DEFAULT_EXECUTOR
                    || this == OR_TIMEOUT || this == COMPLETE_ON_TIMEOUT);
        }
    }

    @ParameterizedTest
    @EnumSource(Tamper.class)
    void tamperingWithAQueuedAcquisitionWithdrawsIt(Tamper tamper) {
        Guard holder = hold();
        CompletableFuture<Guard> tampered = lock.acquire().toCompletableFuture();
        CompletableFuture<Guard> next = blocker.acquire().toCompletableFuture();
        tamper.apply(tampered);
        if (tamper.synchronous()) {
            assertTrue(tampered.isDone());
            assertEquals(1, queued(), "withdrawn at once");
        }
        Await.done(tampered);
        Await.until("the tampered acquisition leaves the queue", () -> queued() == 1);
        if (!tampered.isCompletedExceptionally()) {
            Guard value = tampered.join();
            assertTrue(value == null || value instanceof ForeignGuard, "the caller's value stands: " + value);
        }
        assertPending(next);
        holder.release();
        assertGranted(next).release();
        assertFree();
    }

    @ParameterizedTest
    @EnumSource(Tamper.class)
    void tamperingWithAnAcquisitionGrantedAtOnce(Tamper tamper) throws Exception {
        CompletableFuture<Guard> granted = lock.acquire().toCompletableFuture();
        checkTamperingWithAGrant(tamper, granted);
    }

    @ParameterizedTest
    @EnumSource(Tamper.class)
    void tamperingWithAnAcquisitionGrantedByAHandOff(Tamper tamper) throws Exception {
        Guard holder = hold();
        CompletableFuture<Guard> granted = lock.acquire().toCompletableFuture();
        holder.release();
        checkTamperingWithAGrant(tamper, granted);
    }

    private void checkTamperingWithAGrant(Tamper tamper, CompletableFuture<Guard> granted) throws Exception {
        Guard guard = assertGranted(granted);
        CompletableFuture<Guard> next = blocker.acquire().toCompletableFuture();
        Await.value(tamper.apply(granted));
        if (tamper.abandonsAGrant()) {
            assertTrue(guard.isReleased(), "obtruding abandons the hold");
            assertGranted(next).release();
        } else {
            assertSame(guard, granted.join(), "completing a completed future changes nothing");
            assertFalse(guard.isReleased());
            assertPending(next);
            guard.release();
            assertGranted(next).release();
        }
        assertFree();
    }

    // ---- timeouts ---------------------------------------------------------------------------------

    @Test
    void aZeroTimeoutIsATry() throws Exception {
        Guard first = assertGranted(lock.acquire(Duration.ZERO));
        assertFailedWith(TimeoutException.class, blocker.acquire(Duration.ZERO));
        assertThrows(TimeoutException.class, () -> blocker.lock(Duration.ZERO));
        assertEquals(0, queued(), "a zero timeout never queues");
        first.release();
        Guard second = blocker.lock(Duration.ZERO);
        assertFailedWith(TimeoutException.class, lock.acquire(Duration.ZERO));
        assertThrows(TimeoutException.class, () -> lock.lock(Duration.ZERO));
        assertEquals(0, queued());
        second.release();
        assertFree();
    }

    /**
     * One timer per lock, armed for the earliest deadline: a short timeout queued behind a long
     * one must still fire on its own deadline (the timer re-arms earlier), and leave the long one
     * queued.
     */
    @Test
    void aShortTimeoutQueuedBehindALongOneTimesOutFirst() {
        Guard holder = hold();
        CompletionStage<Guard> patient = lock.acquire(Duration.ofSeconds(60));
        CompletionStage<Guard> hasty = blocker.acquire(Duration.ofMillis(5));
        Await.done(hasty);
        assertFailedWith(TimeoutException.class, hasty);
        Await.until("the timed-out acquisition leaves the queue", () -> queued() == 1);
        assertPending(patient);
        holder.release();
        assertGranted(patient).release();
        assertFree();
    }

    /** Many acquisitions with the same timeout time out together, and every one leaves the queue. */
    @Test
    void manyEqualTimeoutsAllTimeOutAndLeaveTheQueue() {
        Guard holder = hold();
        List<CompletionStage<Guard>> timed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            timed.add((i % 2 == 0 ? lock : blocker).acquire(Duration.ofMillis(5)));
        }
        for (CompletionStage<Guard> stage : timed) {
            Await.done(stage);
            assertFailedWith(TimeoutException.class, stage);
        }
        Await.until("every timed-out acquisition leaves the queue", () -> queued() == 0);
        holder.release();
        assertFree();
    }

    @Test
    void anAsyncTimeoutFailsWithTimeoutExceptionAndLeavesTheQueue() {
        Guard holder = hold();
        CompletionStage<Guard> timed = lock.acquire(Duration.ofMillis(1));
        CompletionStage<Guard> next = blocker.acquire();
        Await.done(timed);
        TimeoutException timeout = assertFailedWith(TimeoutException.class, timed);
        assertNotNull(timeout.getMessage(), "the timeout names the lock");
        Await.until("the timed-out acquisition leaves the queue", () -> queued() == 1);
        assertPending(next);
        holder.release();
        assertGranted(next).release();
        assertFree();
    }

    @Test
    void aParkedTimeoutThrowsTimeoutExceptionAndLeavesTheQueue() {
        Guard holder = hold();
        CompletableFuture<Guard> timed = AcquireStyle.inVirtualThread(() -> lock.lock(Duration.ofMillis(1)));
        Await.done(timed);
        assertFailedWith(TimeoutException.class, timed);
        assertEquals(0, queued());
        holder.release();
        assertFree();
    }

    /** A grant that lands before the timeout stands; the timer, when it would have fired, does nothing. */
    @Test
    void aGrantBeforeTheAsyncTimeoutStands() {
        Guard holder = hold();
        CompletionStage<Guard> timed = lock.acquire(Duration.ofMillis(20));
        holder.release();
        Guard guard = assertGranted(timed);
        // The JDK's delay scheduler runs timers in deadline order: once this later one has fired,
        // the acquisition's timer would have fired too.
        Await.done(new CompletableFuture<Void>().orTimeout(60, TimeUnit.MILLISECONDS));
        assertFalse(guard.isReleased());
        assertFalse(timed.toCompletableFuture().isCompletedExceptionally());
        assertBlockerExcluded(subject);
        guard.release();
        assertFree();
    }

    @Test
    void aGrantBeforeTheParkedTimeoutStands() {
        Guard holder = hold();
        CompletableFuture<Guard> parked = AcquireStyle.inVirtualThread(() -> lock.lock(Duration.ofSeconds(20)));
        Await.until("queued", () -> queued() == 1);
        holder.release();
        Guard guard = Await.value(parked);
        assertFalse(guard.isReleased());
        assertBlockerExcluded(subject);
        guard.release();
        assertFree();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT2562047H47M16.854775807S" /* Long.MAX_VALUE ns */, "PT2400000H", "MAX"})
    void aHugeTimeoutMeansNoTimeout(String text) throws Exception {
        Duration huge = text.equals("MAX") ? Duration.ofSeconds(Long.MAX_VALUE, 999_999_999) : Duration.parse(text);
        Guard holder = hold();
        CompletionStage<Guard> async = lock.acquire(huge);
        CompletableFuture<Guard> parked = AcquireStyle.inVirtualThread(() -> blocker.lock(huge));
        Await.until("both queued", () -> queued() == 2);
        assertPending(async);
        assertFalse(parked.isDone());
        holder.release();
        Guard guard = assertGranted(async);
        assertFalse(parked.isDone());
        guard.release();
        Await.value(parked).release();
        assertFree();
    }

    @Test
    void timeoutRacingWithTheGrantHasExactlyOneWinner() {
        Random random = new Random(SEED);
        System.out.println(getClass().getSimpleName() + ".timeoutRacingWithTheGrant: seed " + SEED);
        int timeouts = 0;
        for (int round = 0; round < SLOW_RACE_ROUNDS; round++) {
            Guard holder = hold();
            CompletionStage<Guard> timed = lock.acquire(Duration.ofNanos(1 + random.nextInt(50_000)));
            CompletionStage<Guard> next = blocker.acquire();
            busySpin(random.nextInt(60_000));
            holder.release();
            Await.done(timed);
            String where = "seed " + SEED + ", round " + round;
            if (timed.toCompletableFuture().isCompletedExceptionally()) {
                timeouts++;
                assertFailedWith(TimeoutException.class, timed);
                Await.value(next).release(); // granted when the timer's withdrawal lands
            } else {
                Guard guard = assertGranted(timed);
                assertPending(next);
                guard.release();
                assertGranted(next).release();
            }
            awaitFree(subject);
            assertEquals(0, queued(), where);
        }
        System.out.println(getClass().getSimpleName() + ": timeout won " + timeouts + " of " + SLOW_RACE_ROUNDS);
    }

    @Test
    void parkedTimeoutRacingWithTheGrantHasExactlyOneWinner() {
        Random random = new Random(SEED + 1);
        int timeouts = 0;
        for (int round = 0; round < SLOW_RACE_ROUNDS; round++) {
            Guard holder = hold();
            long nanos = 1 + random.nextInt(50_000);
            CompletableFuture<Guard> timed = AcquireStyle.inVirtualThread(() -> lock.lock(Duration.ofNanos(nanos)));
            busySpin(random.nextInt(60_000));
            holder.release();
            Await.done(timed);
            if (timed.isCompletedExceptionally()) {
                timeouts++;
                assertFailedWith(TimeoutException.class, timed);
                assertFree();
            } else {
                Guard guard = assertGranted(timed);
                assertBlockerExcluded(subject);
                guard.release();
                assertFree();
            }
        }
        System.out.println(getClass().getSimpleName() + ": parked timeout won " + timeouts + " of " + SLOW_RACE_ROUNDS);
    }

    static void busySpin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    // ---- bad input --------------------------------------------------------------------------------

    @Test
    void aNegativeTimeoutIsRejected() {
        Duration negative = Duration.ofNanos(-1);
        assertThrows(IllegalArgumentException.class, () -> lock.acquire(negative));
        assertThrows(IllegalArgumentException.class, () -> lock.lock(negative));
        Guard holder = hold();
        assertThrows(IllegalArgumentException.class, () -> lock.acquire(negative));
        assertThrows(IllegalArgumentException.class, () -> lock.lock(negative));
        assertEquals(0, queued());
        holder.release();
        assertFree();
    }

    @Test
    void nullsAreRejectedNamingTheParameter() {
        NullPointerException e1 = assertThrows(NullPointerException.class, () -> lock.acquire(null));
        assertTrue(String.valueOf(e1.getMessage()).contains("timeout"), e1.getMessage());
        NullPointerException e2 = assertThrows(NullPointerException.class, () -> lock.lock(null));
        assertTrue(String.valueOf(e2.getMessage()).contains("timeout"), e2.getMessage());
        NullPointerException e3 = assertThrows(NullPointerException.class, () -> lock.withLock(null));
        assertTrue(String.valueOf(e3.getMessage()).contains("action"), e3.getMessage());
        assertFree();
        Guard holder = hold();
        assertThrows(NullPointerException.class, () -> lock.acquire(null));
        assertThrows(NullPointerException.class, () -> lock.lock(null));
        assertThrows(NullPointerException.class, () -> lock.withLock(null));
        assertEquals(0, queued());
        holder.release();
        assertFree();
    }

    // ---- parking: lock() ---------------------------------------------------------------------------

    @Test
    void lockParksTheVirtualThreadUntilGranted() throws Exception {
        Guard holder = hold();
        CompletableFuture<Guard> outcome = new CompletableFuture<>();
        Thread locker = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(lock.lock());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        Await.until("queued", () -> queued() == 1);
        Await.until("the virtual thread is parked (WAITING)", () -> locker.getState() == Thread.State.WAITING);
        assertFalse(outcome.isDone());
        holder.release();
        Guard guard = Await.value(outcome);
        Await.terminated(locker);
        assertFalse(guard.isReleased());
        assertBlockerExcluded(subject);
        guard.release();
        assertFree();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void lockInterruptedBeforeTheCallThrowsAndLeavesNothing(boolean timed) {
        for (boolean held : new boolean[] {false, true}) {
            Guard holder = held ? hold() : null;
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread locker = Thread.ofVirtual().start(() -> {
                Thread.currentThread().interrupt();
                try {
                    Guard guard = timed ? lock.lock(Duration.ofHours(1)) : lock.lock();
                    guard.release();
                } catch (Throwable t) {
                    thrown.set(t);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            Await.terminated(locker);
            assertInstanceOf(InterruptedException.class, thrown.get(), "held: " + held);
            assertFalse(stillInterrupted.get(), "the interrupt status is cleared");
            assertEquals(0, queued());
            if (holder != null) {
                assertFalse(holder.isReleased());
                assertLockExcluded(subject);
                holder.release();
            }
            assertFree();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void lockInterruptedWhileWaitingThrowsAndLeavesTheQueue(boolean timed) {
        Guard holder = hold();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread locker = Thread.ofVirtual().start(() -> {
            try {
                Guard guard = timed ? lock.lock(Duration.ofHours(1)) : lock.lock();
                guard.release();
            } catch (Throwable t) {
                thrown.set(t);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        Await.until("queued", () -> queued() == 1);
        Await.parked(locker);
        CompletionStage<Guard> next = blocker.acquire();
        assertEquals(2, queued());
        locker.interrupt();
        Await.terminated(locker);
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertFalse(stillInterrupted.get(), "the interrupt status is cleared");
        assertEquals(1, queued());
        assertPending(next);
        assertFalse(holder.isReleased());
        holder.release();
        assertGranted(next).release();
        assertFree();
    }

    /** Interrupt on one thread, release (and so grant) on the other: the waiter gets one outcome. */
    @Test
    void interruptRacingWithTheGrantLeavesNothingBehind() throws Exception {
        final class Round {
            Guard holder;
            Thread locker;
            final CompletableFuture<Guard> outcome = new CompletableFuture<>();
            final AtomicBoolean stillInterruptedAfterException = new AtomicBoolean();
            CompletableFuture<Guard> next;
        }
        String summary = TwoThreadRace.run(SLOW_RACE_ROUNDS, () -> {
            Round r = new Round();
            r.holder = hold();
            r.locker = Thread.ofVirtual().start(() -> {
                try {
                    r.outcome.complete(lock.lock());
                } catch (Throwable t) {
                    r.stillInterruptedAfterException.set(Thread.currentThread().isInterrupted());
                    r.outcome.completeExceptionally(t);
                }
            });
            Await.until("queued", () -> queued() == 1);
            r.next = blocker.acquire().toCompletableFuture();
            return r;
        }, r -> r.holder.release(), r -> r.locker.interrupt(), (r, round) -> {
            Await.terminated(r.locker);
            boolean granted = !r.outcome.isCompletedExceptionally();
            if (!granted) {
                assertFailedWith(InterruptedException.class, r.outcome);
                assertFalse(r.stillInterruptedAfterException.get());
                Await.value(r.next).release();
            } else {
                Guard guard = assertGranted(r.outcome);
                assertPending(r.next);
                guard.release();
                assertGranted(r.next).release();
            }
            assertFree();
            return granted;
        });
        System.out.println(getClass().getSimpleName() + ".interruptRacingWithTheGrant: grant (left) vs interrupt (right): "
                + summary);
    }

    // ---- withLock ---------------------------------------------------------------------------------

    @Test
    void withLockHoldsUntilTheActionsStageCompletes() {
        CompletableFuture<String> body = new CompletableFuture<>();
        AtomicInteger runs = new AtomicInteger();
        CompletionStage<String> result = lock.withLock(() -> {
            runs.incrementAndGet();
            return body;
        });
        assertEquals(1, runs.get());
        assertPending(result);
        assertBlockerExcluded(subject);
        AtomicBoolean freeWhenResultCompleted = new AtomicBoolean();
        result.whenComplete((v, f) -> freeWhenResultCompleted.set(isFreeNow(subject)));
        body.complete("done");
        assertEquals("done", assertReady(result));
        assertTrue(freeWhenResultCompleted.get(), "released before the result completes");
        assertEquals(1, runs.get());
        assertFree();
    }

    private static boolean isFreeNow(Subject s) {
        Optional<Guard> guard = s.blocker().tryAcquire();
        guard.ifPresent(Guard::release);
        return guard.isPresent();
    }

    @Test
    void withLockReleasesWhenTheActionsStageFails() {
        CompletableFuture<String> body = new CompletableFuture<>();
        CompletionStage<String> result = lock.withLock(() -> body);
        IllegalStateException failure = new IllegalStateException("action failed");
        body.completeExceptionally(failure);
        assertSame(failure, assertFailedWith(IllegalStateException.class, result));
        assertFree();
    }

    @Test
    void withLockReleasesWhenTheActionThrows() {
        IllegalStateException failure = new IllegalStateException("action threw");
        CompletionStage<String> result = lock.withLock(() -> {
            throw failure;
        });
        assertSame(failure, assertFailedWith(IllegalStateException.class, result));
        assertFree();
    }

    @Test
    void withLockReleasesWhenTheActionReturnsNull() {
        CompletionStage<String> result = lock.withLock(() -> null);
        assertFailedWith(NullPointerException.class, result);
        assertFree();
    }

    @Test
    void withLockReleasesWhenTheActionsStageIsCancelled() {
        CompletableFuture<String> body = new CompletableFuture<>();
        CompletionStage<String> result = lock.withLock(() -> body);
        body.cancel(true);
        assertFailedWith(CancellationException.class, result);
        assertFree();
    }

    @Test
    void withLockRunsAQueuedActionOnlyWhenGranted() {
        Guard holder = hold();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletionStage<String> result = lock.withLock(() -> {
            ranOn.set(Thread.currentThread());
            return CompletableFuture.completedFuture("ran");
        });
        assertNull(ranOn.get());
        assertEquals(1, queued());
        holder.release();
        assertSame(Thread.currentThread(), ranOn.get(), "runs on the releasing thread");
        assertEquals("ran", assertReady(result));
        assertFree();
    }

    @Test
    void cancellingWithLocksResultBeforeTheGrantWithdrawsIt() {
        Guard holder = hold();
        AtomicInteger runs = new AtomicInteger();
        CompletionStage<String> result = lock.withLock(() -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        });
        CompletionStage<Guard> next = blocker.acquire();
        assertTrue(result.toCompletableFuture().cancel(true));
        assertEquals(1, queued());
        holder.release();
        assertEquals(0, runs.get(), "the action never runs");
        assertGranted(next).release();
        assertFree();
    }

    @Test
    void completingWithLocksResultBeforeTheGrantNeverLosesTheLock() {
        Guard holder = hold();
        AtomicInteger runs = new AtomicInteger();
        CompletionStage<String> result = lock.withLock(() -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        });
        CompletionStage<Guard> next = blocker.acquire();
        result.toCompletableFuture().complete("mine");
        holder.release();
        assertEquals(0, runs.get(), "the action does not run for a result already completed");
        assertEquals("mine", assertReady(result));
        assertGranted(next).release();
        assertFree();
    }

    @Test
    void cancellingWithLocksResultAfterTheGrantKeepsTheHoldUntilTheActionEnds() {
        CompletableFuture<String> body = new CompletableFuture<>();
        CompletionStage<String> result = lock.withLock(() -> body);
        assertTrue(result.toCompletableFuture().cancel(true));
        assertBlockerExcluded(subject);
        assertFalse(body.isDone(), "the action's own stage is not cancelled");
        body.complete("late");
        assertFree();
    }

    // ---- where continuations run, and stack safety ------------------------------------------------

    @Test
    void aGrantedContinuationRunsOnTheReleasingThread() throws Exception {
        Guard holder = hold();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletionStage<Void> done = lock.acquire().thenAccept(guard -> {
            ranOn.set(Thread.currentThread());
            guard.release();
        });
        Thread releaser = Thread.ofPlatform().name("releaser").start(holder::release);
        Await.terminated(releaser);
        assertTrue(done.toCompletableFuture().isDone(), "delivered before release() returned");
        assertSame(releaser, ranOn.get());
        assertFree();
    }

    @Test
    void aMillionChainedAcquisitionsReleasingInTheirContinuationsDoNotGrowTheStack() {
        Guard holder = hold();
        int[] completed = {0};
        for (int i = 0; i < CHAIN; i++) {
            (i % 2 == 0 ? lock : blocker).acquire().thenAccept(guard -> {
                completed[0]++;
                guard.release();
            });
        }
        assertEquals(CHAIN, queued());
        holder.release();
        assertEquals(CHAIN, completed[0]);
        assertFree();
    }

    @Test
    void aLongChainOfWithLockActionsDoesNotGrowTheStack() {
        int length = CHAIN / 5;
        Guard holder = hold();
        int[] ran = {0};
        List<CompletionStage<Integer>> results = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            CompletionStage<Integer> result = (i % 2 == 0 ? lock : blocker).withLock(
                    () -> CompletableFuture.completedFuture(++ran[0]));
            if (i % 1000 == 0) {
                results.add(result);
            }
        }
        holder.release();
        assertEquals(length, ran[0]);
        for (CompletionStage<Integer> result : results) {
            assertReady(result);
        }
        assertFree();
    }

    /** A counting wrapper around a single named thread. */
    static final class CountingExecutor implements Executor, AutoCloseable {
        final AtomicInteger tasks = new AtomicInteger();
        final AtomicReference<Thread> thread = new AtomicReference<>();
        private final ExecutorService delegate = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "continuations");
            t.setDaemon(true);
            thread.set(t);
            return t;
        });

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            delegate.execute(task);
        }

        @Override
        public void close() {
            delegate.shutdownNow();
        }
    }

    @Test
    void theBuildersExecutorRunsGrantedContinuations() {
        try (CountingExecutor executor = new CountingExecutor()) {
            Subject s = newSubject(executor);
            Guard holder = hold(s);
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            CompletionStage<Void> done = s.lock().acquire().thenAccept(guard -> {
                ranOn.set(Thread.currentThread());
                guard.release();
            });
            holder.release();
            Await.value(done);
            assertSame(executor.thread.get(), ranOn.get());
            assertEquals(1, executor.tasks.get());

            // An acquisition granted at once completes on the caller, without the executor.
            CompletionStage<Guard> atOnce = s.lock().acquire();
            assertGranted(atOnce).release();
            assertEquals(1, executor.tasks.get());
            awaitFree(s);
        }
    }

    @Test
    void aChainOnTheBuildersExecutorCompletes() {
        int length = CHAIN / 10;
        try (CountingExecutor executor = new CountingExecutor()) {
            Subject s = newSubject(executor);
            Guard holder = hold(s);
            AtomicInteger completed = new AtomicInteger();
            for (int i = 0; i < length; i++) {
                (i % 2 == 0 ? s.lock() : s.blocker()).acquire().thenAccept(guard -> {
                    assertSame(executor.thread.get(), Thread.currentThread());
                    completed.incrementAndGet();
                    guard.release();
                });
            }
            holder.release();
            Await.until("the chain completes", () -> completed.get() == length);
            assertEquals(length, executor.tasks.get());
            awaitFree(s);
        }
    }

    /** Even an executor that runs tasks in place must not turn a hand-off chain into recursion. */
    @Test
    void aChainOnADirectExecutorDoesNotGrowTheStack() {
        int length = CHAIN / 10;
        AtomicInteger tasks = new AtomicInteger();
        Subject s = newSubject(task -> {
            tasks.incrementAndGet();
            task.run();
        });
        Guard holder = hold(s);
        int[] completed = {0};
        for (int i = 0; i < length; i++) {
            (i % 2 == 0 ? s.lock() : s.blocker()).acquire().thenAccept(guard -> {
                completed[0]++;
                guard.release();
            });
        }
        try {
            holder.release();
        } catch (StackOverflowError e) {
            fail("StackOverflowError after " + completed[0] + " hand-offs through a direct executor");
        }
        assertEquals(length, completed[0], "hand-offs completed through a direct executor (a continuation"
                + " that overflowed the stack fails its own stage and breaks the chain)");
        assertFree(s);
    }

    /**
     * {@link Guard#release()} "never throws": an executor that fails with something other than
     * RejectedExecutionException (a closed custom executor; an {@code OutOfMemoryError} for a new
     * thread, issue 11 item 1) must not make it throw, nor strand the grant it could not deliver.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anExecutorThatThrowsNeitherBreaksAReleaseNorLosesTheGrant(boolean throwsAnError) {
        Subject s = newSubject(task -> {
            if (throwsAnError) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
            }
            throw new IllegalStateException("executor closed");
        });
        Guard holder = hold(s);
        CompletionStage<Guard> waiter = s.lock().acquire();
        try {
            holder.release();
        } catch (Throwable e) { // an Error escaping here would otherwise end the test JVM
            fail("Guard.release() threw " + e);
        }
        assertGranted(waiter).release();
        assertFree(s);
    }

    @Test
    void aRejectingExecutorFallsBackToTheReleasingThread() {
        Subject s = newSubject(task -> {
            throw new RejectedExecutionException("shut down");
        });
        Guard holder = hold(s);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletionStage<Void> done = s.lock().acquire().thenAccept(guard -> {
            ranOn.set(Thread.currentThread());
            guard.release();
        });
        holder.release();
        assertReady(done);
        assertSame(Thread.currentThread(), ranOn.get());
        assertFree(s);
    }

    // ---- regressions from the independent review of 7d18f16 (issue 11) ----------------------------

    /**
     * Issue 11, item 5: an executor that runs the delivery and then throws must not get the grant
     * delivered a second time; a second delivery found the stage complete, took it for an
     * abandoned grant and released the caller's live hold, letting the next waiter in beside it.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anExecutorThatRunsTheTaskThenThrowsDeliversExactlyOnce(boolean throwsAnError) {
        Subject s = newSubject(task -> {
            task.run();
            if (throwsAnError) {
                throw new StackOverflowError("after running the task");
            }
            throw new IllegalStateException("after running the task");
        });
        Guard holder = hold(s);
        CompletionStage<Guard> first = s.lock().acquire();
        CompletionStage<Guard> second = s.blocker().acquire();
        holder.release();
        Guard guard = assertGranted(first);
        assertFalse(guard.isReleased(), "the caller's hold was released behind its back");
        assertPending(second); // mutual exclusion: the next waiter is not let in beside the caller
        assertEquals(1, s.queueLength().getAsInt());
        guard.release();
        assertGranted(second).release();
        assertFree(s);
    }

    /**
     * Issue 11, item 4: {@code completeExceptionally(null)} and {@code obtrudeException(null)}
     * throw {@link NullPointerException} as {@link CompletableFuture} does, and change nothing: the
     * acquisition stays queued and is granted later. With and without an executor.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aNullFailureOnAQueuedStageThrowsAndChangesNothing(boolean withExecutor) {
        Subject s = withExecutor ? newSubject(Runnable::run) : subject;
        Guard holder = hold(s);
        CompletableFuture<Guard> waiter = s.lock().acquire().toCompletableFuture();
        assertThrows(NullPointerException.class, () -> waiter.completeExceptionally(null));
        assertThrows(NullPointerException.class, () -> waiter.obtrudeException(null));
        assertPending(waiter);
        assertEquals(1, s.queueLength().getAsInt(), "still queued");
        holder.release();
        assertGranted(waiter).release();
        assertFree(s);
    }

    /** Ways a caller can complete {@code withLock}'s result before the grant. */
    enum EarlyCompletion {
        COMPLETE(result -> result.complete(null)),
        COMPLETE_EXCEPTIONALLY(result -> result.completeExceptionally(new IllegalStateException("caller gave up"))),
        OR_TIMEOUT(result -> result.orTimeout(1, TimeUnit.NANOSECONDS)),
        CANCEL(result -> result.cancel(false));

        final Consumer<CompletableFuture<Object>> apply;

        EarlyCompletion(Consumer<CompletableFuture<Object>> apply) {
            this.apply = apply;
        }
    }

    /**
     * Issue 11, item 6: any completion of {@code withLock}'s result before the grant withdraws the
     * acquisition, as for {@code acquire()}: it leaves the queue at once, so it holds no
     * {@code maxWaiters} slot, and the action never runs.
     */
    @ParameterizedTest
    @EnumSource(EarlyCompletion.class)
    void anyCompletionOfWithLocksResultBeforeTheGrantWithdrawsIt(EarlyCompletion completion) {
        Guard holder = hold();
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Object> result = lock.withLock(() -> {
            ran.set(true);
            return CompletableFuture.completedFuture((Object) "ran");
        }).toCompletableFuture();
        assertEquals(1, queued());
        completion.apply.accept(result);
        Await.until("the acquisition leaves the queue", () -> queued() == 0);
        assertTrue(result.isDone());
        holder.release();
        assertFalse(ran.get(), "the action ran although the caller had completed the result");
        assertFree();
    }

    /**
     * Delivery order, for every lock: what a continuation's release grants is delivered after the
     * acquisition queued before it (the batch case, several granted by one release, is in
     * {@link AsyncSemaphoreTest} and {@link AsyncRwLockTest}).
     */
    @Test
    void aReleaseInsideAContinuationIsDeliveredAfterWhatWasGrantedBeforeIt() {
        Guard holder = hold();
        List<String> order = new ArrayList<>();
        lock.acquire().thenAccept(guard -> {
            order.add("first");
            guard.release();
            blocker.acquire().thenAccept(again -> {
                order.add("first again");
                again.release();
            });
        });
        blocker.acquire().thenAccept(guard -> {
            order.add("second");
            guard.release();
        });
        holder.release();
        assertEquals(List.of("first", "second", "first again"), order);
        assertFree();
    }

    // ---- closing ----------------------------------------------------------------------------------

    private static final IllegalStateException SHUTDOWN = new IllegalStateException("shutting down");

    /** Checks that the failure is this lock's closed failure, carrying the close's cause. */
    private static void assertClosedFailure(Throwable failure, Throwable cause) {
        LockClosedException closed = assertInstanceOf(LockClosedException.class, failure);
        assertSame(cause, closed.getCause());
        assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
        assertTrue(closed.getMessage().contains("'"), "names the lock: " + closed.getMessage());
    }

    /** Waits for a stage (a parked thread's outcome completes on its own) and checks it failed closed. */
    private static void assertClosed(CompletionStage<?> stage, Throwable cause) {
        Await.done(stage);
        assertClosedFailure(assertFailedWith(LockClosedException.class, stage), cause);
    }

    @ParameterizedTest
    @EnumSource(value = AcquireStyle.class, names = {"ACQUIRE", "ACQUIRE_TIMED", "LOCK", "LOCK_TIMED", "WITH_LOCK"})
    void closeFailsAQueuedAcquisitionAtOnceNamingTheLockAndCarryingTheCause(AcquireStyle style) {
        Guard holder = hold();
        CompletionStage<Guard> waiting = enqueue(style, lock);
        assertTrue(subject.closer().test(SHUTDOWN));
        assertClosed(waiting, SHUTDOWN);
        assertEquals(0, queued());
        holder.release(); // a live guard still releases, and grants nobody
        assertTrue(holder.isReleased());
        assertEquals(0, queued());
    }

    @Test
    void closeFailsEveryQueuedAcquisitionOfEveryKindOldestFirst() {
        Guard holder = hold();
        List<String> failedOrder = new ArrayList<>();
        List<CompletionStage<Guard>> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            CompletionStage<Guard> stage = enqueue(i % 2 == 0 ? AcquireStyle.ACQUIRE : AcquireStyle.ACQUIRE_TIMED,
                    i % 3 == 0 ? blocker : lock);
            int index = i;
            stage.whenComplete((guard, failure) -> failedOrder.add(index + (failure == null ? " granted" : "")));
            waiting.add(stage);
        }
        assertTrue(subject.closer().test(SHUTDOWN));
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), failedOrder, "failed at once, oldest first");
        for (CompletionStage<Guard> stage : waiting) {
            assertClosed(stage, SHUTDOWN);
        }
        holder.release();
    }

    @ParameterizedTest
    @EnumSource(AcquireStyle.class)
    void everyAcquisitionAfterCloseFailsAtOnceTheSameWay(AcquireStyle style) {
        assertTrue(subject.closer().test(SHUTDOWN));
        CompletionStage<Guard> outcome;
        try {
            outcome = style.start(lock);
        } catch (LockClosedException thrown) { // tryAcquire throws rather than answer "not now"
            assertEquals(AcquireStyle.TRY, style);
            assertClosedFailure(thrown, SHUTDOWN);
            return;
        }
        assertClosed(outcome, SHUTDOWN);
        assertEquals(0, queued());
    }

    @Test
    void aGuardLiveAtTheCloseReleasesNormallyAndNothingIsGrantedAfter() {
        Guard guard = lock.tryAcquire().orElseThrow();
        assertTrue(subject.closer().test(SHUTDOWN));
        assertFalse(guard.isReleased());
        guard.release();
        assertTrue(guard.isReleased());
        guard.release(); // still a no-op the second time
        assertThrows(LockClosedException.class, () -> lock.tryAcquire());
        assertThrows(LockClosedException.class, () -> blocker.tryAcquire());
    }

    @Test
    void closingTwiceIsHarmlessAndKeepsTheFirstCause() {
        IllegalStateException second = new IllegalStateException("again");
        assertTrue(subject.closer().test(SHUTDOWN));
        assertFalse(subject.closer().test(second));
        assertClosed(lock.acquire(), SHUTDOWN);
    }

    @Test
    void closeRequiresACauseAndChangesNothingWithout() {
        assertThrows(NullPointerException.class, () -> subject.closer().test(null));
        lock.tryAcquire().orElseThrow().release(); // still open
    }

    @Test
    void aCancelAfterTheCloseLosesAndTheStageStaysClosed() {
        Guard holder = hold();
        CompletableFuture<Guard> waiting = lock.acquire().toCompletableFuture();
        assertTrue(subject.closer().test(SHUTDOWN));
        assertFalse(waiting.cancel(true));
        assertFalse(waiting.complete(null));
        assertClosed(waiting, SHUTDOWN);
        holder.release();
    }

    @Test
    void closeFromInsideAContinuationFailsTheRestOfTheQueue() {
        Guard holder = hold();
        CompletionStage<Guard> first = lock.acquire();
        CompletionStage<Guard> second = blocker.acquire();
        first.thenAccept(guard -> {
            subject.closer().test(SHUTDOWN);
            guard.release();
        });
        holder.release();
        assertTrue(first.toCompletableFuture().join().isReleased());
        assertClosed(second, SHUTDOWN);
    }

    @Test
    void closeWithAnExecutorFailsQueuedStagesWithoutTheExecutor() {
        ManualExecutor executor = new ManualExecutor();
        Subject s = newSubject(executor);
        Guard holder = hold(s);
        CompletionStage<Guard> waiting = s.lock().acquire();
        assertTrue(s.closer().test(SHUTDOWN));
        assertClosed(waiting, SHUTDOWN);
        holder.release();
    }

    /** The close races with the release that grants the head: exactly one of granted and closed. */
    @Test
    void closeRacingWithTheGrantLeavesExactlyOneOutcome() throws Exception {
        final class Round {
            Subject s;
            Guard holder;
            CompletableFuture<Guard> racer;
        }
        String summary = TwoThreadRace.run(RACE_ROUNDS, () -> {
            Round r = new Round();
            r.s = newSubject(null);
            r.holder = hold(r.s);
            r.racer = r.s.lock().acquire().toCompletableFuture();
            return r;
        }, r -> r.holder.release(), r -> r.s.closer().test(SHUTDOWN), (r, round) -> {
            assertTrue(r.racer.isDone(), "neither granted nor failed");
            boolean granted = !r.racer.isCompletedExceptionally();
            if (granted) {
                Guard guard = r.racer.join();
                guard.release();
                assertTrue(guard.isReleased());
            } else {
                assertClosed(r.racer, SHUTDOWN);
            }
            assertEquals(0, r.s.queueLength().getAsInt());
            assertThrows(LockClosedException.class, () -> r.s.lock().tryAcquire());
            return granted;
        });
        System.out.println(getClass().getSimpleName() + ".closeRacingWithTheGrant: grant (left) vs close (right): "
                + summary);
    }

    /** A parked lock() racing with the close: it returns a guard or throws LockClosedException, never hangs. */
    @Test
    void closeRacingWithAParkedLockWakesItExactlyOnce() throws Exception {
        final class Round {
            Subject s;
            Guard holder;
            CompletableFuture<Guard> outcome;
        }
        String summary = TwoThreadRace.run(SLOW_RACE_ROUNDS, () -> {
            Round r = new Round();
            r.s = newSubject(null);
            r.holder = hold(r.s);
            r.outcome = AcquireStyle.inVirtualThread(() -> r.s.lock().lock());
            Await.until("queued", () -> r.s.queueLength().getAsInt() == 1);
            return r;
        }, r -> r.holder.release(), r -> r.s.closer().test(SHUTDOWN), (r, round) -> {
            Await.done(r.outcome);
            boolean granted = !r.outcome.isCompletedExceptionally();
            if (granted) {
                r.outcome.join().release();
            } else {
                assertClosed(r.outcome, SHUTDOWN);
            }
            return granted;
        });
        System.out.println(getClass().getSimpleName() + ".closeRacingWithAParkedLock: grant (left) vs close (right): "
                + summary);
    }
}
