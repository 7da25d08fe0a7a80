package dev.asynclocks;

import java.util.concurrent.Executor;

/**
 * The {@link AsyncLock} contract for {@link AsyncSemaphore#asLock(int)}: two permits of three, so
 * two holds of the view exclude each other.
 */
class SemaphoreAsLockContractTest extends AbstractExclusiveLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncSemaphore semaphore = executor == null ? new AsyncSemaphore(3) : AsyncSemaphore.builder(3).executor(executor).build();
        return exclusive(semaphore.asLock(2), semaphore::queueLength, semaphore::close);
    }
}
