package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.asynclocks.StageAssertions.assertFailedWith;
import static dev.asynclocks.StageAssertions.assertPending;
import static dev.asynclocks.StageAssertions.assertReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link UpdatableValue} contract, on top of {@link AbstractGuardedValueContractTest}: run
 * against {@link GuardedMutex} and the write view of {@link GuardedRwLock}. An update replaces
 * the value under the exclusive lock, or leaves it unchanged when it fails or gives up.
 */
abstract class AbstractUpdatableValueContractTest extends AbstractGuardedValueContractTest {

    UpdatableValue<List<String>> updatable() {
        return (UpdatableValue<List<String>>) value;
    }

    List<String> current() throws InterruptedException {
        return value.apply(List::copyOf);
    }

    @Test
    void updateReplacesTheValueUnderTheLock() throws Exception {
        AtomicBoolean excludedInside = new AtomicBoolean();
        updatable().update(list -> {
            excludedInside.set(blockerExcluded());
            return List.of("replaced");
        });
        assertTrue(excludedInside.get(), "the function ran without the lock");
        assertEquals(List.of("replaced"), current());
        updatable().update(Duration.ZERO, list -> List.of(list.getFirst(), "again"));
        assertEquals(List.of("replaced", "again"), current());
        assertFree();
    }

    @Test
    void aFailedUpdateLeavesTheValueUnchangedAndReleases() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> updatable().update(list -> {
            throw boom;
        })));
        NullPointerException nullResult = assertThrows(NullPointerException.class, () -> updatable().update(list -> null));
        assertTrue(String.valueOf(nullResult.getMessage()).contains("returned null"), nullResult.getMessage());
        assertThrows(NullPointerException.class, () -> updatable().update(Duration.ZERO, list -> null));
        assertEquals(List.of("initial"), current());
        assertFree();
    }

    @Test
    void aTimedOutOrInterruptedUpdateLeavesTheValueUnchanged() throws Exception {
        Guard holder = hold();
        assertThrows(TimeoutException.class, () -> updatable().update(Duration.ZERO, list -> List.of("late")));
        holder.release();
        assertAnInterruptWhileQueuedGivesUp(() -> {
            updatable().update(list -> List.of("interrupted"));
            return null;
        });
        assertEquals(List.of("initial"), current());
        assertFree();
    }

    @Test
    void updateAsyncIsPendingWhileTheLockIsHeldThenReplaces() throws Exception {
        Guard holder = hold();
        CompletionStage<Void> updated = updatable().updateAsync(list -> List.of("async"));
        assertPending(updated);
        holder.release();
        assertReady(updated);
        assertEquals(List.of("async"), current());

        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertFailedWith(IllegalStateException.class, updatable().updateAsync(list -> {
            throw boom;
        })));
        assertFailedWith(NullPointerException.class, updatable().updateAsync(list -> null));
        assertEquals(List.of("async"), current());
        assertFree();
    }

    @Test
    void cancellingAPendingUpdateAsyncLeavesTheValueUnchanged() throws Exception {
        assertCancellingWhileQueuedWithdraws(() -> updatable().updateAsync(list -> List.of("cancelled")));
        assertEquals(List.of("initial"), current());
        assertFree();
    }

    @Test
    void nullUpdateArgumentsAreRejectedNamingTheParameter() {
        assertNpeNaming("function", () -> updatable().update(null));
        assertNpeNaming("function", () -> updatable().update(Duration.ZERO, null));
        assertNpeNaming("timeout", () -> updatable().update(null, list -> list));
        assertNpeNaming("function", () -> updatable().updateAsync(null));
        assertFree();
    }

    /** Read-compute-replace from many virtual threads and stages at once loses no update. */
    @Test
    void concurrentUpdatesLoseNothing() throws Exception {
        int threads = 200;
        int perThread = 50;
        UnaryOperator<List<String>> increment = list -> List.of(String.valueOf(Integer.parseInt(list.getLast()) + 1));
        updatable().update(list -> List.of("0"));
        List<CompletionStage<Void>> asyncUpdates = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(executor.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        updatable().update(increment);
                    }
                    return null;
                }));
            }
            for (int i = 0; i < perThread; i++) {
                asyncUpdates.add(updatable().updateAsync(increment));
            }
            for (Future<?> f : done) {
                f.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        for (CompletionStage<Void> update : asyncUpdates) {
            Await.value(update);
        }
        assertEquals(String.valueOf(threads * perThread + perThread), value.apply(List::getLast), "lost updates");
        assertFree();
    }
}
