package dev.asynclocks.zookeeper;

/** The distributed {@code AsyncLock} contract for the read view of {@link ZkRwLock}, blocked by a writer. */
class ZkRwLockReadContractTest extends AbstractZkLockContractTest {

    @Override
    ZkLock lock(ZkLockClient client, String path) {
        return client.readWriteLock(path).readLock();
    }

    @Override
    ZkLock blocker(ZkLockClient client, String path) {
        return client.readWriteLock(path).writeLock();
    }
}
