package dev.asynclocks;

import java.util.concurrent.Executor;

/**
 * The whole exclusive-lock contract, on a mutex built with {@code detectSelfDeadlock()}: the
 * tracked guards it hands out to threads behave as the plain ones in every other respect.
 */
class SelfDeadlockDetectingMutexContractTest extends AbstractExclusiveLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncMutex.Builder builder = AsyncMutex.builder().detectSelfDeadlock();
        AsyncMutex mutex = executor == null ? builder.build() : builder.executor(executor).build();
        return exclusive(mutex, mutex::queueLength, mutex::close);
    }
}
