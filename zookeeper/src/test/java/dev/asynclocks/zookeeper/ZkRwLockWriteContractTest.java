package dev.asynclocks.zookeeper;

/** The distributed {@code AsyncLock} contract for the write view of {@link ZkRwLock}. */
class ZkRwLockWriteContractTest extends AbstractZkLockContractTest {

    @Override
    ZkLock lock(ZkLockClient client, String path) {
        return client.readWriteLock(path).writeLock();
    }

    @Override
    ZkLock blocker(ZkLockClient client, String path) {
        return client.readWriteLock(path).readLock();
    }
}
