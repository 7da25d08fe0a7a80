package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only a read-write lock has: readers share (in different clients, and in one client on one
 * read znode); a waiting writer, in this client or another, holds back later readers.
 */
class ZkRwLockTest extends OneServerTest {

    @Test
    void readersInDifferentClientsShareAndAWaitingWriterHoldsBackLaterReaders() {
        String path = "/rw/shared";
        try (ZkLockClient r1 = connect(); ZkLockClient r2 = connect(); ZkLockClient w = connect(); ZkLockClient r3 = connect()) {
            Guard read1 = Await.value(r1.readWriteLock(path).readLock().acquire());
            Guard read2 = Await.value(r2.readWriteLock(path).readLock().acquire());   // shared: granted at once
            CompletionStage<Guard> write = w.readWriteLock(path).writeLock().acquire();
            observer.awaitCount(path, 3);
            CompletionStage<Guard> read3 = r3.readWriteLock(path).readLock().acquire();
            observer.awaitCount(path, 4);
            assertFalse(write.toCompletableFuture().isDone());
            assertFalse(read3.toCompletableFuture().isDone(), "a reader behind a waiting writer waits");
            read1.release();
            read2.release();
            Guard writeGuard = Await.value(write);
            assertFalse(read3.toCompletableFuture().isDone());
            writeGuard.release();
            Await.value(read3).release();
            observer.awaitCount(path, 0);
            assertTrue(((FencedGuard) writeGuard).fencingToken() > ((FencedGuard) read2).fencingToken());
        }
    }

    @Test
    void twoReadersInOneClientHoldAtOnceOnOneZnode() {
        String path = "/rw/one-client";
        try (ZkLockClient a = connect(); ZkLockClient other = connect()) {
            ZkRwLock rw = a.readWriteLock(path);
            FencedGuard read1 = (FencedGuard) Await.value(rw.readLock().acquire());
            FencedGuard read2 = (FencedGuard) Await.value(rw.readLock().acquire());   // shares the hold
            assertFalse(read1.isReleased());
            assertEquals(1, observer.count(path), "one read znode for both readers");
            assertEquals(read1.fencingToken(), read2.fencingToken(), "readers sharing a znode share its token");
            read1.release();
            assertTrue(other.readWriteLock(path).writeLock().tryAcquire().isEmpty(), "the second reader still holds");
            assertEquals(1, observer.count(path));
            read2.release();                                          // the last reader out deletes the znode
            observer.awaitCount(path, 0);
            Guard write = other.readWriteLock(path).writeLock().tryAcquire().orElseThrow();
            assertTrue(((FencedGuard) write).fencingToken() > read2.fencingToken());
            write.release();
            observer.awaitCount(path, 0);
        }
    }

    @Test
    void aWriterQueuedInTheSameClientOrdersItsReaders() {
        String path = "/rw/one-client-writer";
        try (ZkLockClient a = connect()) {
            ZkRwLock rw = a.readWriteLock(path);
            List<String> grants = new CopyOnWriteArrayList<>();
            Guard read1 = Await.value(rw.readLock().acquire());
            CompletionStage<Guard> write = rw.writeLock().acquire().whenComplete((g, e) -> grants.add("write"));
            CompletionStage<Guard> read2 = rw.readLock().acquire().whenComplete((g, e) -> grants.add("read2"));
            CompletionStage<Guard> read3 = rw.readLock().acquire().whenComplete((g, e) -> grants.add("read3"));
            assertFalse(write.toCompletableFuture().isDone());
            read1.release();
            Guard writeGuard = Await.value(write);
            assertFalse(read2.toCompletableFuture().isDone(), "a reader behind the client's waiting writer waits: " + grants);
            assertFalse(read3.toCompletableFuture().isDone());
            assertEquals(1, observer.count(path), "one znode per client: the writer's");
            writeGuard.release();
            FencedGuard r2 = (FencedGuard) Await.value(read2);
            FencedGuard r3 = (FencedGuard) Await.value(read3);               // shares with read2
            assertEquals(List.of("write", "read2", "read3"), grants);
            assertEquals(r2.fencingToken(), r3.fencingToken());
            assertTrue(r2.fencingToken() > ((FencedGuard) writeGuard).fencingToken());
            r2.release();
            r3.release();
            observer.awaitCount(path, 0);
        }
    }

    @Test
    void aReaderDoesNotJoinItsClientsReadHoldPastAWriterOfAnotherClient() {
        String path = "/rw/remote-writer-between";
        try (ZkLockClient a = connect(); ZkLockClient w = connect()) {
            Guard read1 = Await.value(a.readWriteLock(path).readLock().acquire());
            CompletionStage<Guard> write = w.readWriteLock(path).writeLock().acquire();
            observer.awaitCount(path, 2);
            CompletionStage<Guard> read2 = a.readWriteLock(path).readLock().acquire();
            // read2's join check (a listing) went out on a's session inside acquire(); a's session
            // answers in order, so once a later request on it is answered, the check has come back
            Await.value(a.mutex(path + "-barrier").acquire()).release();
            assertFalse(read2.toCompletableFuture().isDone(), "a reader joined its client's read hold past another client's writer");
            read1.release();
            Guard writeGuard = Await.value(write);                            // read2 did not join read1's hold
            assertFalse(read2.toCompletableFuture().isDone(), "a reader queued behind another client's writer");
            writeGuard.release();
            FencedGuard r2 = (FencedGuard) Await.value(read2);
            assertTrue(r2.fencingToken() > ((FencedGuard) writeGuard).fencingToken());
            r2.release();
            observer.awaitCount(path, 0);
        }
    }

    /** A reader's try joins its client's read hold when nobody is queued behind it, and fails (leaving nothing) when a writer is. */
    @Test
    void aReadersTryJoinsItsClientsReadHoldUnlessAWriterIsQueuedBehind() {
        String path = "/rw/try-join";
        try (ZkLockClient a = connect(); ZkLockClient w = connect()) {
            ZkLock read = a.readWriteLock(path).readLock();
            FencedGuard held = (FencedGuard) Await.value(read.acquire());
            FencedGuard joined = (FencedGuard) read.tryAcquire().orElseThrow();
            assertEquals(held.fencingToken(), joined.fencingToken(), "the try shares the read znode");
            assertEquals(1, observer.count(path));
            CompletionStage<Guard> write = w.readWriteLock(path).writeLock().acquire();
            observer.awaitCount(path, 2);
            assertTrue(read.tryAcquire().isEmpty(), "a try does not overtake another client's queued writer");
            assertEquals(2, observer.count(path));
            held.release();
            joined.release();
            Await.value(write).release();
            observer.awaitCount(path, 0);
        }
    }

    @Test
    void withdrawnSharingReadersLeaveNothingBehind() throws Exception {
        String path = "/rw/withdrawn-sharers";
        try (ZkLockClient a = connect(); ZkLockClient w = connect()) {
            Guard writer = Await.value(w.readWriteLock(path).writeLock().acquire());
            ZkLock read = a.readWriteLock(path).readLock();
            CompletableFuture<Guard> cancelled = read.acquire().toCompletableFuture();
            CompletableFuture<Guard> timed = read.acquire(Duration.ofMillis(300)).toCompletableFuture();
            CompletableFuture<Guard> kept = read.acquire().toCompletableFuture();
            AtomicReference<Throwable> interrupted = new AtomicReference<>();
            Thread parked = Thread.ofVirtual().start(() -> {
                try {
                    read.lock().release();
                } catch (Throwable t) {
                    interrupted.set(t);
                }
            });
            observer.awaitCount(path, 2);                                    // the writer's and one shared read znode
            assertTrue(cancelled.cancel(false));
            assertInstanceOf(TimeoutException.class, Await.failure(timed));
            parked.interrupt();
            parked.join(Await.LIMIT);
            assertInstanceOf(InterruptedException.class, interrupted.get());
            assertEquals(2, observer.count(path), "a remaining sharer keeps the read znode");
            assertTrue(kept.cancel(false));                                  // the last sharer out deletes it
            observer.awaitCount(path, 1);
            writer.release();
            observer.awaitCount(path, 0);
            Guard again = Await.value(read.acquire());                       // the client's queue is clean
            Guard shared = Await.value(read.acquire());
            again.release();
            shared.release();
            observer.awaitCount(path, 0);
        }
    }

    private static ZkLockClient connect() {
        return ZkLockClient.connect(server.connectString(), Duration.ofSeconds(10));
    }
}
