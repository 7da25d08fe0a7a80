package dev.asynclocks.zookeeper;

/** The distributed {@code AsyncLock} contract for {@link ZkLockClient#mutex(String)}. */
class ZkMutexContractTest extends AbstractZkLockContractTest {

    @Override
    ZkLock lock(ZkLockClient client, String path) {
        return client.mutex(path);
    }

    @Override
    ZkLock blocker(ZkLockClient client, String path) {
        return client.mutex(path);
    }
}
