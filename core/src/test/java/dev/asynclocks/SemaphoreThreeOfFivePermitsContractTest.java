package dev.asynclocks;

import java.util.concurrent.Executor;

/**
 * The {@link AsyncLock} contract for requests of three permits of an {@link AsyncSemaphore} of
 * five: two such holds never fit together, so the requests exclude each other.
 */
class SemaphoreThreeOfFivePermitsContractTest extends AbstractExclusiveLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncSemaphore semaphore = executor == null ? new AsyncSemaphore(5) : AsyncSemaphore.builder(5).executor(executor).build();
        return exclusive(new SemaphoreAsLock(semaphore, 3), semaphore::queueLength, semaphore::close);
    }
}
