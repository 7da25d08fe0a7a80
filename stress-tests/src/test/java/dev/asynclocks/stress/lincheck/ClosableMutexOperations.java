package dev.asynclocks.stress.lincheck;

import dev.asynclocks.AsyncMutex;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * {@link MutexOperations} plus {@code close}: closing fails every queued acquisition and every
 * later one, while holds still release. Checked against {@link SequentialClosableMutex}.
 */
public class ClosableMutexOperations extends MutexOperations {

    private static final IllegalStateException CAUSE = new IllegalStateException("closed by the test");

    private final AsyncMutex mutex;

    public ClosableMutexOperations() {
        this(new AsyncMutex());
    }

    private ClosableMutexOperations(AsyncMutex mutex) {
        super(mutex, mutex::queueLength, mutex::isLocked);
        this.mutex = mutex;
    }

    @Operation
    public boolean close() {
        return tickets.close(() -> mutex.close(CAUSE));
    }
}
