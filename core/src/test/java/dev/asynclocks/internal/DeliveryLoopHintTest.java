package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A continuation's release of the guard it was given hands the next grant to the delivery loop
 * that runs it, found in the node instead of the {@link ThreadLocal}. That shortcut must only be
 * taken on the loop's own thread: a guard handed to another thread and released there, while the
 * loop's thread is still inside the continuation, is delivered by the releasing thread at once.
 */
class DeliveryLoopHintTest {

    private static final long BOUND_SECONDS = 30;

    @Test
    void aGuardReleasedOnAnotherThreadDuringItsContinuationIsDeliveredThere() throws Exception {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncMutex", 1, LockOptions.DEFAULT);
        Guard gate = engine.tryAcquire(1).orElseThrow();
        CompletableFuture<Guard> first = engine.acquire(1).toCompletableFuture();
        CompletableFuture<Guard> second = engine.acquire(1).toCompletableFuture();
        AtomicReference<Thread> secondDeliveredOn = new AtomicReference<>();
        second.thenRun(() -> secondDeliveredOn.set(Thread.currentThread()));
        CountDownLatch secondSeen = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();

        first.thenAccept(guard -> {
            // Inside the loop's delivery of `first`: release it on another thread, and stay here
            // until that release has delivered `second` (bounded).
            Thread other = Thread.ofPlatform().name("other-releaser").start(guard::release);
            try {
                other.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
                if (!second.isDone()) {
                    failure.set(new AssertionError("the release on another thread left the grant to this loop"));
                }
            } catch (InterruptedException e) {
                failure.set(e);
            }
            secondSeen.countDown();
        });
        gate.release(); // runs the loop on this thread: first's continuation, as above

        assertTrue(secondSeen.await(BOUND_SECONDS, TimeUnit.SECONDS));
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals("other-releaser", secondDeliveredOn.get().getName());
        Guard granted = second.join();
        assertSame(second, granted);
        granted.release();
        assertTrue(engine.isFree());
    }

    @Test
    void aChainOfReleasesInContinuationsStaysOnOneThreadWithoutRecursion() {
        HandOffSemaphore engine = new HandOffSemaphore("AsyncMutex", 1, LockOptions.DEFAULT);
        Guard gate = engine.tryAcquire(1).orElseThrow();
        int waiters = 100_000;
        int[] depth = {0};
        int[] maxDepth = {0};
        CompletableFuture<?>[] stages = new CompletableFuture<?>[waiters];
        for (int i = 0; i < waiters; i++) {
            stages[i] = engine.acquire(1).toCompletableFuture().thenAccept(guard -> {
                depth[0]++;
                maxDepth[0] = Math.max(maxDepth[0], depth[0]);
                guard.release(); // queues the next delivery on the running loop
                depth[0]--;
            });
        }
        gate.release();
        CompletableFuture.allOf(stages).join();
        assertEquals(1, maxDepth[0], "each continuation ran after the previous one returned");
        assertTrue(engine.isFree());
    }
}
