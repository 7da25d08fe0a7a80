package dev.asynclocks.zookeeper;

/**
 * A distributed read-write lock: many readers or one writer, across every client of the
 * ensemble, in one FIFO queue; a waiting writer holds back the readers that queue after it.
 *
 * {@snippet :
 * ZkRwLock catalog = zk.readWriteLock("/locks/catalog");
 * try (FencedGuard guard = catalog.readLock().lock()) {
 *     render(catalog());
 * }
 * try (FencedGuard guard = catalog.writeLock().lock()) {
 *     store.replaceCatalog(next, guard.fencingToken());
 * }
 * }
 *
 * <p>Both views are {@link ZkLock}s and so {@link dev.asynclocks.AsyncLock}s. Within one client,
 * every acquisition of the lock (read or write) passes through one in-process FIFO first, so two
 * readers in one client do not share the lock; readers in different clients do.
 */
public final class ZkRwLock {

    /** Written once in the constructor. */
    private final ZkLock readLock;
    /** Written once in the constructor. */
    private final ZkLock writeLock;

    ZkRwLock(ZkLock readLock, ZkLock writeLock) {
        this.readLock = readLock;
        this.writeLock = writeLock;
    }

    /**
     * The shared view: granted when no writer holds the lock or waits ahead of it.
     *
     * @return the read lock
     */
    public ZkLock readLock() {
        return readLock;
    }

    /**
     * The exclusive view: granted when nobody holds the lock or waits ahead of it.
     *
     * @return the write lock
     */
    public ZkLock writeLock() {
        return writeLock;
    }

    /**
     * The lock's znode path.
     *
     * @return the path, the parent of the lock's waiter znodes
     */
    public String path() {
        return readLock.path();
    }
}
