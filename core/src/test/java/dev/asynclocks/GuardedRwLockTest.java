package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

import static dev.asynclocks.StageAssertions.assertPending;
import static dev.asynclocks.StageAssertions.assertReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link GuardedRwLock} adds to the contracts of its views ({@link GuardedRwLockReadContractTest},
 * {@link GuardedRwLockWriteContractTest}): the views share one value and one FIFO queue, readers
 * read together, a writer alone.
 */
class GuardedRwLockTest {

    private final AsyncRwLock rw = new AsyncRwLock();
    private final GuardedRwLock<Map<String, String>> routes = new GuardedRwLock<>(rw, Map.of("a", "1"));

    @Test
    void readSectionsRunTogether() {
        CompletableFuture<String> firstWork = new CompletableFuture<>();
        CompletionStage<String> first = routes.read().withValue(table -> firstWork.thenApply(x -> table.get("a")));
        assertEquals(1, rw.readers());
        CompletionStage<String> second = routes.read().applyAsync(table -> table.get("a") + ", " + rw.readers() + " readers");
        assertEquals("1, 2 readers", assertReady(second), "a second reader got in while the first held the lock");
        assertPending(first);
        firstWork.complete("go");
        assertEquals("1", assertReady(first));
        assertEquals(0, rw.readers());
    }

    @Test
    void aWriterExcludesReadersAndReadersArrivingBehindAWaitingWriterQueue() {
        CompletableFuture<Void> readWork = new CompletableFuture<>();
        CompletionStage<Void> reading = routes.read().withValue(table -> readWork);
        CompletionStage<Void> writing = routes.write().updateAsync(table -> Map.of("a", "2"));
        CompletionStage<String> lateRead = routes.read().applyAsync(table -> table.get("a"));
        assertPending(writing);
        assertPending(lateRead);
        assertEquals(2, rw.queueLength(), "the late reader queues behind the waiting writer");
        readWork.complete(null);
        assertReady(reading);
        assertReady(writing);
        assertEquals("2", assertReady(lateRead), "the late reader reads after the writer, and sees its value");
        assertFalse(rw.isWriteLocked());
    }

    @Test
    void bothViewsReachTheSameValue() throws Exception {
        routes.write().update(table -> Map.of("a", "2", "b", "3"));
        assertEquals(Map.of("a", "2", "b", "3"), routes.read().apply(Map::copyOf));
        assertEquals("3", routes.read().apply(Duration.ZERO, table -> table.get("b")));
        int size = routes.write().apply(Map::size);
        assertEquals(2, size);
    }

    @Test
    void theReadViewCannotBeTurnedIntoAWriter() {
        assertFalse(routes.read() instanceof UpdatableValue<?>, "the read view must not be castable to an updater");
        assertSame(routes.read(), routes.read());
        assertSame(routes.write(), routes.write());
    }

    /** Not reentrant: a read section that writes waits for itself (here, until its timeout). */
    @Test
    void aSectionThatEntersTheWriteViewWaitsForItself() throws Exception {
        routes.read().apply(table -> assertThrows(TimeoutException.class,
                () -> routes.write().update(Duration.ofMillis(20), t -> Map.of())));
        assertEquals(Map.of("a", "1"), routes.read().apply(Map::copyOf));
        assertEquals(0, rw.queueLength());
    }

    @Test
    void constructorsRejectNullsNamingTheParameter() {
        AbstractGuardedValueContractTest.assertNpeNaming("value", () -> new GuardedRwLock<>(null));
        AbstractGuardedValueContractTest.assertNpeNaming("lock", () -> new GuardedRwLock<>(null, List.of()));
        AbstractGuardedValueContractTest.assertNpeNaming("value", () -> new GuardedRwLock<>(new AsyncRwLock(), null));
    }

    @Test
    void toStringShowsTheLockButNeverTheValue() {
        GuardedRwLock<String> named = new GuardedRwLock<>(AsyncRwLock.builder().name("routes").build(), "secret");
        assertTrue(named.toString().contains("routes"), named.toString());
        assertFalse(named.toString().contains("secret"), named.toString());
        assertTrue(named.read().toString().contains("read view") && named.read().toString().contains("routes"),
                named.read().toString());
        assertTrue(named.write().toString().contains("write view"), named.write().toString());
        assertThrows(NullPointerException.class, () -> named.read().apply(null));
    }
}
