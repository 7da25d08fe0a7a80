package dev.asynclocks;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static dev.asynclocks.StageAssertions.assertFailedWith;
import static dev.asynclocks.StageAssertions.assertPending;
import static dev.asynclocks.StageAssertions.assertReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link GuardedValue} contract, run against {@link GuardedMutex} and both views of
 * {@link GuardedRwLock}: every section runs under the lock, waits while the lock is held elsewhere,
 * releases on every path out, and gives up (timeout, interrupt, cancel) without running.
 *
 * <p>A concrete subclass supplies a {@link Subject}: the guarded value, holding the list
 * {@code ["initial"]}, and a <em>blocker</em>, a lock whose holds exclude the value's sections (the
 * mutex itself; for the read view, the write lock; for the write view, the read lock). Tests hold
 * the blocker to make a section wait, and check that the blocker is excluded while a section runs.
 */
abstract class AbstractGuardedValueContractTest {

    /**
     * @param value       the guarded value under test, holding {@code ["initial"]}
     * @param blocker     a lock whose holds and the value's sections exclude each other
     * @param queueLength the queue length of the lock behind the value
     */
    protected record Subject(GuardedValue<List<String>> value, AsyncLock blocker, IntSupplier queueLength) {
    }

    /** @return a fresh subject whose value is a mutable list holding {@code "initial"} */
    protected abstract Subject newSubject();

    static List<String> initial() {
        return new ArrayList<>(List.of("initial"));
    }

    Subject subject;
    GuardedValue<List<String>> value;
    AsyncLock blocker;

    @BeforeEach
    void createSubject() {
        subject = newSubject();
        value = subject.value();
        blocker = subject.blocker();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    int queued() {
        return subject.queueLength().getAsInt();
    }

    Guard hold() {
        return blocker.tryAcquire().orElseThrow(() -> new AssertionError("blocker not free"));
    }

    /** Whether the blocker is kept out now, that is, whether a section (or another hold) runs. */
    boolean blockerExcluded() {
        Optional<Guard> barged = blocker.tryAcquire();
        barged.ifPresent(Guard::release);
        return barged.isEmpty();
    }

    /** Nothing held, nobody waiting, and the value still reachable by a section at once. */
    void assertFree() {
        assertEquals(0, queued(), "queue length");
        assertFalse(blockerExcluded(), "the blocker is kept out: a section did not release?");
        try {
            assertEquals(Boolean.TRUE, value.apply(Duration.ZERO, v -> v != null), "a section gets the value");
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the value is not reachable at once: " + e, e);
        }
    }

    /** Runs {@code call} on a new virtual thread; the stage completes with its outcome. */
    static <R> CompletableFuture<R> inVirtualThread(Thread[] thread, Callable<R> call) {
        CompletableFuture<R> outcome = new CompletableFuture<>();
        thread[0] = Thread.ofVirtual().name("section").start(() -> {
            try {
                outcome.complete(call.call());
            } catch (Throwable failure) {
                outcome.completeExceptionally(failure);
            }
        });
        return outcome;
    }

    /** Waits until one more acquisition than {@code before} is in the queue. */
    void awaitQueued(int before) {
        Await.until("the section is queued", () -> queued() == before + 1);
    }

    /**
     * Holds the lock, starts {@code section} on a virtual thread, and interrupts it once it is
     * parked in the queue: it fails with InterruptedException and leaves the queue.
     */
    void assertAnInterruptWhileQueuedGivesUp(Callable<?> section) {
        Guard holder = hold();
        Thread[] thread = new Thread[1];
        CompletableFuture<?> outcome = inVirtualThread(thread, section);
        awaitQueued(0);
        Await.parked(thread[0]);
        thread[0].interrupt();
        Await.done(outcome);
        assertFailedWith(InterruptedException.class, outcome);
        assertEquals(0, queued());
        holder.release();
    }

    /** Holds the lock, starts an async {@code section}, and cancels it: it leaves the queue. */
    void assertCancellingWhileQueuedWithdraws(Supplier<? extends CompletionStage<?>> section) {
        Guard holder = hold();
        CompletableFuture<?> result = section.get().toCompletableFuture();
        assertEquals(1, queued());
        assertTrue(result.cancel(false));
        assertEquals(0, queued(), "withdrawn from the queue");
        holder.release();
        assertFailedWith(CancellationException.class, result);
    }

    // ---- apply (parked) ---------------------------------------------------------------------------

    @Test
    void applyRunsTheFunctionUnderTheLockAndReturnsItsResult() throws Exception {
        AtomicBoolean excludedInside = new AtomicBoolean();
        String result = value.apply(list -> {
            excludedInside.set(blockerExcluded());
            return list.getFirst();
        });
        assertEquals("initial", result);
        assertTrue(excludedInside.get(), "the function ran without the lock");
        assertFree();
    }

    @Test
    void applyParksWhileTheLockIsHeldAndRunsOnceItIsReleased() throws Exception {
        Guard holder = hold();
        AtomicInteger calls = new AtomicInteger();
        Thread[] thread = new Thread[1];
        CompletableFuture<Integer> outcome = inVirtualThread(thread, () -> value.apply(list -> calls.incrementAndGet()));
        awaitQueued(0);
        Await.parked(thread[0]);
        assertPending(outcome);
        assertEquals(0, calls.get(), "the function ran while the lock was held elsewhere");
        holder.release();
        assertEquals(1, Await.value(outcome));
        assertEquals(1, calls.get());
        assertFree();
    }

    @Test
    void aFunctionThatThrowsReleasesTheLockAndItsExceptionPropagates() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> value.apply(list -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        IllegalStateException timed = assertThrows(IllegalStateException.class,
                () -> value.apply(Duration.ofHours(1), list -> {
                    throw boom;
                }));
        assertSame(boom, timed);
        assertFree();
    }

    @Test
    void aTimedApplyGivesUpWithoutRunningTheFunction() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Guard holder = hold();
        assertThrows(TimeoutException.class, () -> value.apply(Duration.ZERO, list -> calls.incrementAndGet()));
        assertThrows(TimeoutException.class, () -> value.apply(Duration.ofMillis(1), list -> calls.incrementAndGet()));
        assertEquals(0, calls.get());
        assertEquals(0, queued(), "a timed-out section left the queue");
        holder.release();
        assertEquals(Integer.valueOf(1), value.apply(Duration.ZERO, list -> calls.incrementAndGet()), "zero timeout on a free lock");
        assertFree();
    }

    @Test
    void anInterruptedApplyLeavesTheQueueWithoutRunningTheFunction() {
        AtomicInteger calls = new AtomicInteger();
        assertAnInterruptWhileQueuedGivesUp(() -> value.apply(list -> calls.incrementAndGet()));
        assertEquals(0, calls.get());
        assertFree();

        // Interrupted before it asks: no wait, no call.
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> value.apply(list -> calls.incrementAndGet()));
        assertFalse(Thread.interrupted(), "the interrupt status was cleared");
        assertEquals(0, calls.get());
        assertFree();
    }

    // ---- applyAsync -------------------------------------------------------------------------------

    @Test
    void applyAsyncIsPendingWhileTheLockIsHeldThenCompletesWithTheResult() {
        Guard holder = hold();
        AtomicBoolean excludedInside = new AtomicBoolean();
        CompletionStage<String> result = value.applyAsync(list -> {
            excludedInside.set(blockerExcluded());
            return list.getFirst();
        });
        assertPending(result);
        assertEquals(1, queued());
        holder.release();
        assertEquals("initial", assertReady(result));
        assertTrue(excludedInside.get(), "the function ran without the lock");
        assertFree();
    }

    @Test
    void applyAsyncFailsWithTheFunctionsExceptionAndReleases() {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletionStage<Object> result = value.applyAsync(list -> {
            throw boom;
        });
        assertSame(boom, assertFailedWith(IllegalStateException.class, result));
        assertFree();
    }

    @Test
    void cancellingAPendingApplyAsyncWithdrawsItAndTheFunctionNeverRuns() {
        AtomicInteger calls = new AtomicInteger();
        assertCancellingWhileQueuedWithdraws(() -> value.applyAsync(list -> calls.incrementAndGet()));
        assertEquals(0, calls.get());
        assertFree();
    }

    // ---- withValue --------------------------------------------------------------------------------

    @Test
    void withValueHoldsTheLockUntilTheActionsStageCompletes() {
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> result = value.withValue(list -> work.thenApply(suffix -> list.getFirst() + suffix));
        assertPending(result);
        assertTrue(blockerExcluded(), "the lock is held across the asynchronous work");
        CompletionStage<Guard> next = blocker.acquire();
        assertPending(next);
        work.complete("!");
        assertEquals("initial!", assertReady(result));
        StageAssertions.assertGranted(next).release();
        assertFree();
    }

    @Test
    void withValueWaitsForTheLockBeforeCallingTheAction() {
        Guard holder = hold();
        AtomicInteger calls = new AtomicInteger();
        CompletionStage<Integer> result = value.withValue(list -> CompletableFuture.completedFuture(calls.incrementAndGet()));
        assertPending(result);
        assertEquals(0, calls.get());
        holder.release();
        assertEquals(1, assertReady(result));
        assertFree();
    }

    @Test
    void withValueReleasesOnEveryFailure() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertFailedWith(IllegalStateException.class, value.withValue(list -> {
            throw boom;
        })));
        assertFree();
        assertFailedWith(NullPointerException.class, value.withValue(list -> null));
        assertFree();
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> failing = value.withValue(list -> work);
        assertTrue(blockerExcluded());
        work.completeExceptionally(boom);
        assertSame(boom, assertFailedWith(IllegalStateException.class, failing));
        assertFree();
    }

    @Test
    void cancellingAPendingWithValueWithdrawsItAndTheActionNeverRuns() {
        AtomicInteger calls = new AtomicInteger();
        assertCancellingWhileQueuedWithdraws(
                () -> value.withValue(list -> CompletableFuture.completedFuture(calls.incrementAndGet())));
        assertEquals(0, calls.get());
        assertFree();
    }

    /** Cancelling the outer stage after the action ran does not cut its hold short. */
    @Test
    void cancellingARunningWithValueKeepsTheLockUntilTheActionsStageCompletes() {
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> result = value.withValue(list -> work).toCompletableFuture();
        result.cancel(false);
        assertFalse(work.isCancelled(), "the action's own stage is not cancelled");
        assertTrue(blockerExcluded(), "still held while the action's stage runs");
        work.complete("done");
        assertFree();
    }

    // ---- memory and arguments ---------------------------------------------------------------------

    /** What one section did to a mutable value, the next section sees, on another thread. */
    @Test
    void aSectionSeesWhatTheSectionBeforeDid() throws Exception {
        value.apply(list -> list.add("second"));
        Thread[] thread = new Thread[1];
        CompletableFuture<String> seen = inVirtualThread(thread, () -> value.apply(list -> String.join(",", list)));
        assertEquals("initial,second", Await.value(seen));
        assertEquals(Integer.valueOf(2), assertReady(value.<Integer>applyAsync(List::size)));
        assertFree();
    }

    @Test
    void nullArgumentsAreRejectedNamingTheParameterAndNothingIsHeld() {
        assertNpeNaming("function", () -> value.apply(null));
        assertNpeNaming("function", () -> value.apply(Duration.ZERO, null));
        assertNpeNaming("timeout", () -> value.apply(null, list -> list));
        assertNpeNaming("function", () -> value.applyAsync(null));
        assertNpeNaming("action", () -> value.withValue(null));
        assertThrows(IllegalArgumentException.class, () -> value.apply(Duration.ofMillis(-1), list -> list));
        assertFree();
    }

    static void assertNpeNaming(String parameter, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertTrue(String.valueOf(e.getMessage()).contains(parameter), () -> "message should name "
                + parameter + ": " + e.getMessage());
    }

    @Test
    void toStringNeverShowsTheValue() throws Exception {
        value.apply(list -> list.add("secret"));
        assertFalse(value.toString().contains("secret"), value.toString());
        assertFalse(value.toString().contains("initial"), value.toString());
    }
}
