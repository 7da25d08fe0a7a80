package dev.asynclocks.stress.lincheck;

import dev.asynclocks.LockClosedException;

/**
 * The sequential specification of {@link ClosableMutexOperations}: {@link SequentialMutex}, and
 * once closed every waiting ticket fails, every later acquisition fails, and {@code tryAcquire}
 * throws {@link LockClosedException}.
 */
public class SequentialClosableMutex extends SequentialMutex {

    @Override
    public boolean tryAcquire(int tid) {
        if (isClosed()) {
            throw new LockClosedException("the model's mutex", null);
        }
        return super.tryAcquire(tid);
    }

    public boolean close() {
        return closeQueue();
    }
}
