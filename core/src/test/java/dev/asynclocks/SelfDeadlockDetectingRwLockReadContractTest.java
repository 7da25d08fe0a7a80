package dev.asynclocks;

import java.util.concurrent.Executor;

/**
 * The lock contract on the read view of a read-write lock built with {@code detectSelfDeadlock()}
 * (its blocker, the write view, is tracked too).
 */
class SelfDeadlockDetectingRwLockReadContractTest extends AbstractAsyncLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncRwLock.Builder builder = AsyncRwLock.builder().detectSelfDeadlock();
        AsyncRwLock rw = executor == null ? builder.build() : builder.executor(executor).build();
        return new Subject(rw.readLock(), rw.writeLock(), rw::queueLength, rw::close);
    }
}
