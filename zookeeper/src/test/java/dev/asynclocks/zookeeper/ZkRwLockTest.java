package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only a read-write lock has: readers in different clients share; a waiting writer holds back later readers. */
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

    private static ZkLockClient connect() {
        return ZkLockClient.connect(server.connectString(), Duration.ofSeconds(10));
    }
}
