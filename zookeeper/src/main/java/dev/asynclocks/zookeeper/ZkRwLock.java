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
 * <p>Both views are {@link ZkLock}s and so {@link dev.asynclocks.AsyncLock}s.
 *
 * <p><b>Within one client.</b> Every acquisition of the lock (read or write) passes through one
 * in-process FIFO first. Consecutive readers in it share one read znode, so they hold the lock at
 * the same time, as readers in different clients do; a reader also joins a read hold its client
 * already has, as long as no writer (of any client) is queued behind that hold. A writer waiting
 * in the client holds back the readers that called after it. The last sharing reader to release
 * (or to withdraw, before the grant) deletes the read znode.
 *
 * <p><b>Fencing tokens of readers.</b> Readers that share a znode share its fencing token: the
 * token orders the hold against writes (it is larger than every earlier writer's and smaller than
 * every later writer's), not the readers among themselves.
 *
 * <p><b>Cancellation, timeouts, interruption</b> of a reader that shares a znode withdraw that
 * reader only: the znode stays while another sharer waits or holds, and is deleted with the last.
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
     * The shared view: granted when no writer holds the lock or waits ahead of it. Readers of one
     * client share one read znode and its fencing token (see the class comment).
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
