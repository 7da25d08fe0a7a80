package dev.asynclocks;

import java.util.concurrent.Executor;

/**
 * The {@link AsyncLock} contract for the read view of {@link AsyncRwLock}: readers share, so the
 * exclusion the contract checks is against the write view.
 */
class AsyncRwLockReadContractTest extends AbstractAsyncLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncRwLock rw = executor == null ? new AsyncRwLock() : AsyncRwLock.builder().executor(executor).build();
        return new Subject(rw.readLock(), rw.writeLock(), rw::queueLength, rw::close);
    }
}
