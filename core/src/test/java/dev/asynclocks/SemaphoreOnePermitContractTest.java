package dev.asynclocks;

import java.util.concurrent.Executor;

/** The {@link AsyncLock} contract for one permit of an {@link AsyncSemaphore} of one. */
class SemaphoreOnePermitContractTest extends AbstractExclusiveLockContractTest {

    @Override
    protected Subject newSubject(Executor executor) {
        AsyncSemaphore semaphore = executor == null ? new AsyncSemaphore(1) : AsyncSemaphore.builder(1).executor(executor).build();
        return exclusive(new SemaphoreAsLock(semaphore, 1), semaphore::queueLength, semaphore::close);
    }
}
