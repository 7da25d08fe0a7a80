package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.asynclocks.StageAssertions.assertPending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of a lock that excludes itself (mutex, write view, semaphore permits that do not
 * fit twice): on top of {@link AbstractAsyncLockContractTest}, its own acquisitions are granted one
 * at a time in call order, and many threads never overlap inside it.
 */
abstract class AbstractExclusiveLockContractTest extends AbstractAsyncLockContractTest {

    static final int THREADS = 10_000;
    static final int ACQUISITIONS_PER_THREAD = 100;

    /**
     * Makes an exclusive subject: the lock is its own blocker.
     *
     * @param lock        the lock
     * @param queueLength its primitive's queue length
     * @param closer      closes its primitive
     * @return the subject
     */
    static Subject exclusive(AsyncLock lock, java.util.function.IntSupplier queueLength,
                             java.util.function.Predicate<Throwable> closer) {
        return new Subject(lock, lock, queueLength, closer);
    }

    @Test
    void grantsItsOwnAcquisitionsOneAtATimeInCallOrder() {
        Random random = new Random(SEED);
        System.out.println(getClass().getSimpleName() + ".grantsItsOwnAcquisitionsInCallOrder: seed " + SEED);
        AcquireStyle[] styles = {AcquireStyle.ACQUIRE, AcquireStyle.ACQUIRE_TIMED, AcquireStyle.LOCK,
                AcquireStyle.LOCK_TIMED, AcquireStyle.WITH_LOCK};
        Guard current = lock.tryAcquire().orElseThrow();
        List<CompletionStage<Guard>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(enqueue(styles[random.nextInt(styles.length)], lock));
        }
        for (int i = 0; i < waiting.size(); i++) {
            assertEquals(waiting.size() - i, queued(), "seed " + SEED);
            current.release();
            current = Await.value(waiting.get(i));
            for (int j = i + 1; j < waiting.size(); j++) {
                assertPending(waiting.get(j));
            }
        }
        current.release();
        assertFree();
    }

    /** Mutual exclusion, checked by a plain counter (lost updates show) and an "inside" count. */
    private int unguardedCounter;

    @Test
    @SuppressWarnings("try") // the guard is only there to be closed
    void tenThousandVirtualThreadsExcludeEachOther() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        unguardedCounter = 0;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>(THREADS);
            for (int t = 0; t < THREADS; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < ACQUISITIONS_PER_THREAD; i++) {
                        try (Guard guard = lock.lock()) {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            unguardedCounter++;
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertEquals(0, overlaps.get(), "threads inside together");
        assertEquals(THREADS * ACQUISITIONS_PER_THREAD, unguardedCounter, "lost updates");
        assertFree();
    }

    @Test
    void tenThousandAsyncLoopsExcludeEachOther() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        unguardedCounter = 0;
        List<CompletableFuture<Void>> loops = new ArrayList<>(THREADS);
        for (int t = 0; t < THREADS; t++) {
            loops.add(new CompletableFuture<>());
        }
        Runnable critical = () -> {
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            unguardedCounter++;
            inside.decrementAndGet();
        };
        // Two starters on their own threads, so that acquisitions and releases really race.
        Thread[] starters = new Thread[2];
        for (int s = 0; s < starters.length; s++) {
            int first = s;
            starters[s] = Thread.ofPlatform().start(() -> {
                for (int t = first; t < THREADS; t += 2) {
                    loop(t % 2 == 0, critical, ACQUISITIONS_PER_THREAD, loops.get(t));
                }
            });
        }
        for (Thread starter : starters) {
            Await.terminated(starter);
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(Await.LIMIT.toSeconds(),
                java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, overlaps.get(), "loops inside together");
        assertEquals(THREADS * ACQUISITIONS_PER_THREAD, unguardedCounter, "lost updates");
        assertFree();
    }

    /** Acquires {@code left} more times, one after the other, via acquire() or withLock. */
    private void loop(boolean viaWithLock, Runnable critical, int left, CompletableFuture<Void> done) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        CompletionStage<?> step = viaWithLock
                ? lock.withLock(() -> {
                    critical.run();
                    return CompletableFuture.completedFuture(null);
                })
                : lock.acquire().thenAccept(guard -> {
                    try (guard) {
                        critical.run();
                    }
                });
        step.whenComplete((v, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                loop(viaWithLock, critical, left - 1, done);
            }
        });
    }

    @Test
    void aHolderExcludesEveryAcquisitionStyle() {
        Guard holder = lock.tryAcquire().orElseThrow();
        assertTrue(lock.tryAcquire().isEmpty());
        CompletionStage<Guard> waiting = lock.acquire();
        assertPending(waiting);
        assertFalse(holder.isReleased());
        holder.release();
        StageAssertions.assertGranted(waiting).release();
        assertFree();
    }
}
