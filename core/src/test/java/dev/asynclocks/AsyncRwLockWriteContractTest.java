package dev.asynclocks;

import java.util.concurrent.Executor;

/** The {@link AsyncLock} contract for the write view of {@link AsyncRwLock}. */
class AsyncRwLockWriteContractTest extends AbstractExclusiveLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncRwLock rw = executor == null ? new AsyncRwLock() : AsyncRwLock.builder().executor(executor).build();
        return exclusive(rw.writeLock(), rw::queueLength, rw::close);
    }
}
