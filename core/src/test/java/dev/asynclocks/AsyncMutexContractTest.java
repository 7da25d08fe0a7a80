package dev.asynclocks;

import java.util.concurrent.Executor;

/** The {@link AsyncLock} contract for {@link AsyncMutex}. */
class AsyncMutexContractTest extends AbstractExclusiveLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncMutex mutex = executor == null ? new AsyncMutex() : AsyncMutex.builder().executor(executor).build();
        return exclusive(mutex, mutex::queueLength, mutex::close);
    }
}
