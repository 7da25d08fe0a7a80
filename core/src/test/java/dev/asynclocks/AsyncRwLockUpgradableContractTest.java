package dev.asynclocks;

import java.util.concurrent.Executor;

/**
 * The {@link AsyncLock} contract for the upgradable read view of {@link AsyncRwLock}: two
 * upgradable holds exclude each other, so the view is exclusive among its own acquisitions.
 */
class AsyncRwLockUpgradableContractTest extends AbstractExclusiveLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncRwLock rw = executor == null ? new AsyncRwLock() : AsyncRwLock.builder().executor(executor).build();
        return exclusive(rw.upgradableReadLock(), rw::queueLength, rw::close);
    }
}
