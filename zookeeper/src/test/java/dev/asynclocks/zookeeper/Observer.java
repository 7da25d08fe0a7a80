package dev.asynclocks.zookeeper;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A plain ZooKeeper client that looks at a lock's waiter znodes from outside, for assertions. */
final class Observer implements AutoCloseable {

    final ZooKeeper zk;

    Observer(String connectString) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        zk = new ZooKeeper(connectString, 10_000, e -> {
            if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("observer could not connect to " + connectString);
        }
    }

    /** The waiter znodes under {@code path} (none if the path does not exist). */
    List<String> waiters(String path) {
        try {
            return zk.getChildren(path, false);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (KeeperException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    int count(String path) {
        return waiters(path).size();
    }

    void awaitCount(String path, int expected) {
        Await.until(expected + " waiter znodes under " + path + " (now " + waiters(path) + ")",
                () -> count(path) == expected);
    }

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
