package dev.asynclocks;

import java.util.concurrent.Executor;

/**
 * The {@link AsyncLock} contract for a shared {@link AsyncSemaphore#asLock(int)} view, one permit
 * of three, excluded by the view of all three (as the read view is by the write view).
 */
class SemaphoreSharedAsLockContractTest extends AbstractAsyncLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncSemaphore semaphore = executor == null ? new AsyncSemaphore(3) : AsyncSemaphore.builder(3).executor(executor).build();
        return new Subject(semaphore.asLock(1), semaphore.asLock(3), semaphore::queueLength, semaphore::close);
    }
}
