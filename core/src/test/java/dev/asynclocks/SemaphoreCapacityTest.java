package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.asynclocks.StageAssertions.assertFailedWith;
import static dev.asynclocks.StageAssertions.assertGranted;
import static dev.asynclocks.StageAssertions.assertPending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, item 5: a semaphore whose total changes. It may start at 0 (a gate),
 * {@code addPermits} grants the queue in FIFO order, {@code forgetPermits}/{@code drainPermits} take
 * free permits out of circulation without a guard, and {@code totalPermits} reports the total. The
 * cases ported from tokio's batch-semaphore tests keep their names in the comments.
 */
class SemaphoreCapacityTest {

    private static void assertCounts(AsyncSemaphore semaphore, int total, int available, int queued) {
        assertEquals(total, semaphore.totalPermits(), "total: " + semaphore);
        assertEquals(available, semaphore.availablePermits(), "available: " + semaphore);
        assertEquals(queued, semaphore.queueLength(), "queued: " + semaphore);
    }

    // ---- a gate ---------------------------------------------------------------------------------

    /** tokio poll_acquire_one_zero_permits. */
    @Test
    void aGateOfZeroPermitsOpensWhenPermitsAreAdded() throws Exception {
        AsyncSemaphore gate = new AsyncSemaphore(0);
        assertCounts(gate, 0, 0, 0);
        assertTrue(gate.tryAcquire(1).isEmpty());
        assertThrows(TimeoutException.class, () -> gate.lock(1, Duration.ZERO));
        assertFailedWith(TimeoutException.class, gate.acquire(1, Duration.ZERO));
        CompletionStage<Guard> first = gate.acquire(1);
        assertPending(first);
        assertCounts(gate, 0, 0, 1);
        gate.addPermits(1);
        Guard guard = assertGranted(first);
        assertCounts(gate, 1, 0, 0);
        guard.release();
        assertCounts(gate, 1, 1, 0);
        assertTrue(gate.toString().contains("free, 1 permits"), gate.toString());
    }

    @Test
    void aParkedThreadWaitsAtAGateUntilItOpens() throws Exception {
        AsyncSemaphore gate = new AsyncSemaphore(0);
        CompletableFuture<Guard> outcome = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(gate.lock(2));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        Await.until("queued", () -> gate.queueLength() == 1);
        gate.addPermits(1);
        assertPending(outcome);
        gate.addPermits(1);
        Await.value(outcome).release();
        Await.terminated(waiter);
        assertCounts(gate, 2, 2, 0);
    }

    @Test
    void aBuilderMakesAGateToo() {
        AsyncSemaphore gate = AsyncSemaphore.builder(0).name("start").build();
        assertCounts(gate, 0, 0, 0);
        assertTrue(gate.toString().contains("'start' [free, 0 permits]"), gate.toString());
    }

    // ---- addPermits -----------------------------------------------------------------------------

    /** The head keeps what comes free until it has enough; nobody behind it overtakes (FIFO). */
    @Test
    void addedPermitsAreGrantedFromTheHeadInOrder() {
        AsyncSemaphore semaphore = new AsyncSemaphore(0);
        CompletionStage<Guard> three = semaphore.acquire(3);
        CompletionStage<Guard> one = semaphore.acquire(1);
        CompletionStage<Guard> two = semaphore.acquire(2);
        semaphore.addPermits(2);
        assertPending(three);
        assertPending(one);
        assertCounts(semaphore, 2, 2, 3);
        semaphore.addPermits(2);
        Guard threeGuard = assertGranted(three);
        Guard oneGuard = assertGranted(one);
        assertPending(two);
        assertCounts(semaphore, 4, 0, 1);
        semaphore.addPermits(5);
        Guard twoGuard = assertGranted(two);
        assertCounts(semaphore, 9, 3, 0);
        threeGuard.release();
        oneGuard.release();
        twoGuard.release();
        assertCounts(semaphore, 9, 9, 0);
    }

    /** tokio update_permits_many_times: a request for more than the total waits, it is no error. */
    @Test
    void aRequestForMoreThanTheTotalWaitsForAddedPermits() {
        AsyncSemaphore semaphore = new AsyncSemaphore(5);
        CompletionStage<Guard> seven = semaphore.acquire(7);
        assertPending(seven);
        assertTrue(semaphore.tryAcquire(6).isEmpty(), "more than the total cannot be free");
        semaphore.addPermits(5);
        Guard guard = assertGranted(seven);
        assertCounts(semaphore, 10, 3, 0);
        assertEquals(3, semaphore.forgetPermits(3));
        assertCounts(semaphore, 7, 0, 0);
        guard.release();
        assertCounts(semaphore, 7, 7, 0);
    }

    @Test
    void aViewOfMorePermitsThanTheTotalWaitsToo() throws Exception {
        AsyncSemaphore semaphore = new AsyncSemaphore(1);
        AsyncLock wide = semaphore.asLock(3);
        assertTrue(wide.tryAcquire().isEmpty());
        assertThrows(TimeoutException.class, () -> wide.lock(Duration.ZERO));
        CompletionStage<Guard> stage = wide.acquire();
        semaphore.addPermits(2);
        assertGranted(stage).release();
        assertCounts(semaphore, 3, 3, 0);
    }

    @Test
    void addingZeroChangesNothingAndANegativeCountIsRejected() {
        AsyncSemaphore semaphore = new AsyncSemaphore(2);
        semaphore.addPermits(0);
        assertCounts(semaphore, 2, 2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> semaphore.addPermits(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertCounts(semaphore, 2, 2, 0);
    }

    /** tokio add_max_amount_permits and add_more_than_max_amount_permits. */
    @Test
    void theTotalCannotExceedTheMostASemaphoreHolds() {
        AsyncSemaphore semaphore = new AsyncSemaphore(0);
        semaphore.addPermits(Integer.MAX_VALUE);
        assertCounts(semaphore, Integer.MAX_VALUE, Integer.MAX_VALUE, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> semaphore.addPermits(1));
        assertTrue(e.getMessage().contains(String.valueOf(Integer.MAX_VALUE)), e.getMessage());
        assertCounts(semaphore, Integer.MAX_VALUE, Integer.MAX_VALUE, 0);

        AsyncSemaphore one = new AsyncSemaphore(1);
        Guard held = one.tryAcquire(1).orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> one.addPermits(Integer.MAX_VALUE));
        assertCounts(one, 1, 0, 0);
        held.release();
        assertCounts(one, 1, 1, 0);
    }

    @Test
    void addPermitsOnAClosedSemaphoreGrantsNobody() {
        AsyncSemaphore semaphore = new AsyncSemaphore(0);
        CompletionStage<Guard> queued = semaphore.acquire(1);
        assertTrue(semaphore.close(new IllegalStateException("shutdown")));
        assertFailedWith(LockClosedException.class, queued);
        semaphore.addPermits(2);
        assertEquals(2, semaphore.totalPermits());
        assertEquals(2, semaphore.availablePermits());
        assertThrows(LockClosedException.class, () -> semaphore.tryAcquire(1));
        assertFailedWith(LockClosedException.class, semaphore.acquire(1));
    }

    /** A cancelled or timed-out request leaves the queue; added permits then stay free. */
    @Test
    void permitsAddedAfterACancellationAreNotLost() {
        AsyncSemaphore semaphore = new AsyncSemaphore(0);
        CompletionStage<Guard> cancelled = semaphore.acquire(2);
        CompletionStage<Guard> after = semaphore.acquire(1);
        assertTrue(cancelled.toCompletableFuture().cancel(false));
        semaphore.addPermits(2);
        assertGranted(after).release();
        assertCounts(semaphore, 2, 2, 0);
    }

    /** A long chain of continuations granted by one addPermits runs as a loop, not as recursion. */
    @Test
    void oneAdditionThatGrantsAThousandWaitersIsStackSafe() {
        AsyncSemaphore semaphore = new AsyncSemaphore(0);
        AtomicInteger ran = new AtomicInteger();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            done.add(semaphore.acquire(1).thenAccept(guard -> {
                ran.incrementAndGet();
                guard.release();
            }).toCompletableFuture());
        }
        semaphore.addPermits(1);
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        assertEquals(100_000, ran.get());
        assertCounts(semaphore, 1, 1, 0);
    }

    // ---- forgetPermits, drainPermits ------------------------------------------------------------

    /** tokio forget_permits_basic. */
    @Test
    void forgetTakesUpToTheFreePermits() {
        AsyncSemaphore semaphore = new AsyncSemaphore(10);
        assertEquals(4, semaphore.forgetPermits(4));
        assertCounts(semaphore, 6, 6, 0);
        assertEquals(6, semaphore.forgetPermits(10));
        assertCounts(semaphore, 0, 0, 0);
        assertEquals(0, semaphore.forgetPermits(1));
        assertEquals(0, semaphore.forgetPermits(0));
        assertThrows(IllegalArgumentException.class, () -> semaphore.forgetPermits(-1));
        assertCounts(semaphore, 0, 0, 0);
    }

    /** Held permits are not touched; they come back when their guard is released. */
    @Test
    void drainLeavesHeldPermitsAlone() {
        AsyncSemaphore semaphore = new AsyncSemaphore(5);
        Guard two = semaphore.tryAcquire(2).orElseThrow();
        assertEquals(3, semaphore.drainPermits());
        assertCounts(semaphore, 2, 0, 0);
        assertEquals(0, semaphore.drainPermits());
        assertTrue(semaphore.tryAcquire(1).isEmpty());
        two.release();
        two.release();
        assertCounts(semaphore, 2, 2, 0);
        assertTrue(semaphore.toString().contains("free, 2 permits"), semaphore.toString());
    }

    /** Permits held back for the head are free: forgetting them makes the head wait for more. */
    @Test
    void forgetTakesPermitsHeldBackForTheHead() {
        AsyncSemaphore semaphore = new AsyncSemaphore(3);
        Guard two = semaphore.tryAcquire(2).orElseThrow();
        CompletionStage<Guard> three = semaphore.acquire(3);
        assertCounts(semaphore, 3, 1, 1);
        assertEquals(1, semaphore.forgetPermits(5));
        assertCounts(semaphore, 2, 0, 1);
        two.release();
        assertPending(three);
        assertCounts(semaphore, 2, 2, 1);
        semaphore.addPermits(1);
        assertGranted(three).release();
        assertCounts(semaphore, 3, 3, 0);
    }

    @Test
    void forgetWorksOnAClosedSemaphore() {
        AsyncSemaphore semaphore = new AsyncSemaphore(3);
        semaphore.close(new IllegalStateException("shutdown"));
        assertEquals(3, semaphore.drainPermits());
        assertCounts(semaphore, 0, 0, 0);
        assertTrue(semaphore.isClosed());
    }

    // ---- races ------------------------------------------------------------------------------------

    private static final class Round {
        final AsyncSemaphore semaphore = new AsyncSemaphore(0);
        CompletableFuture<Guard> racer;
        CompletableFuture<Guard> next;
        boolean cancelled;
    }

    /** The grant of added permits decides against a cancel: granted or withdrawn, nothing lost. */
    @Test
    void addPermitsRacingWithACancelLosesNothing() throws Exception {
        String summary = TwoThreadRace.run(10_000, () -> {
            Round r = new Round();
            r.racer = r.semaphore.acquire(1).toCompletableFuture();
            r.next = r.semaphore.acquire(1).toCompletableFuture();
            return r;
        }, r -> r.semaphore.addPermits(1), r -> r.cancelled = r.racer.cancel(false), (r, round) -> {
            if (r.cancelled) {
                assertTrue(r.racer.isCancelled());
                assertGranted(r.next).release();
            } else {
                Guard guard = assertGranted(r.racer);
                assertPending(r.next);
                guard.release();
                assertGranted(r.next).release();
            }
            assertCounts(r.semaphore, 1, 1, 0);
            return !r.cancelled;
        });
        System.out.println("addPermitsRacingWithACancelLosesNothing: grant (left) vs cancel (right): " + summary);
    }

    private static final class ForgetRound {
        final AsyncSemaphore semaphore = new AsyncSemaphore(2);
        Guard held;
        int forgotten;
    }

    /** A forget racing with a release takes what was free at its instant: the counts always add up. */
    @Test
    void forgetRacingWithAReleaseKeepsTheCountsRight() throws Exception {
        String summary = TwoThreadRace.run(10_000, () -> {
            ForgetRound r = new ForgetRound();
            r.held = r.semaphore.tryAcquire(1).orElseThrow();
            return r;
        }, r -> r.forgotten = r.semaphore.forgetPermits(2), r -> r.held.release(), (r, round) -> {
            assertTrue(r.forgotten == 1 || r.forgotten == 2, "forgot " + r.forgotten);
            assertCounts(r.semaphore, 2 - r.forgotten, 2 - r.forgotten, 0);
            return r.forgotten == 1;
        });
        System.out.println("forgetRacingWithAReleaseKeepsTheCountsRight: forget first (left) vs release first: "
                + summary);
    }

    /**
     * Virtual threads acquire random counts while another thread adds and forgets permits: every
     * request is served, the permits in use never exceed the most the total ever was, and at the
     * end the total is the start plus what was added minus what was forgotten, all of it free.
     */
    @Test
    @SuppressWarnings("try") // the guard is only there to be closed
    void concurrentAddsForgetsAndHoldersKeepTheBooks() throws Exception {
        long seed = AbstractAsyncLockContractTest.SEED;
        System.out.println("concurrentAddsForgetsAndHoldersKeepTheBooks: seed " + seed);
        AsyncSemaphore semaphore = new AsyncSemaphore(4);
        AtomicLong added = new AtomicLong();
        AtomicLong forgotten = new AtomicLong();
        AtomicInteger inUse = new AtomicInteger();
        AtomicInteger mostInUse = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                Random random = new Random(seed + t);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        int n = 1 + random.nextInt(3);
                        try (Guard g = random.nextBoolean() ? semaphore.lock(n)
                                : Await.value(semaphore.acquire(n))) {
                            mostInUse.accumulateAndGet(inUse.addAndGet(n), Math::max);
                            Thread.yield();
                            inUse.addAndGet(-n);
                        }
                    }
                    return null;
                }));
            }
            Random random = new Random(seed);
            for (int i = 0; i < 400; i++) { // keeps at least 3 in circulation, so every request fits
                if (random.nextBoolean()) {
                    int n = 1 + random.nextInt(2);
                    semaphore.addPermits(n);
                    added.addAndGet(n);
                } else if (4 + added.get() - forgotten.get() > 4) {
                    forgotten.addAndGet(semaphore.forgetPermits(1));
                }
                Thread.yield();
            }
            semaphore.addPermits(3); // whatever the forgets left waiting can go now
            added.addAndGet(3);
            for (Future<?> f : done) {
                f.get();
            }
        }
        long total = 4 + added.get() - forgotten.get();
        assertEquals(total, semaphore.totalPermits(), "seed " + seed);
        assertEquals(total, semaphore.availablePermits(), "seed " + seed);
        assertTrue(mostInUse.get() <= 4 + added.get(), "seed " + seed + ": " + mostInUse + " in use");
        assertFalse(semaphore.isClosed());
    }
}
