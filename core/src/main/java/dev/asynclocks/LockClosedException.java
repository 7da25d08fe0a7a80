package dev.asynclocks;

import java.io.Serial;
import java.util.Objects;

/**
 * Thrown, or the failure of an acquisition's stage, when the lock has been closed: every
 * acquisition that was waiting when {@code close(cause)} was called, and every acquisition made
 * after it, fails with one of these. Its message names the lock, and its {@linkplain #getCause()
 * cause} is the one given to {@code close}.
 *
 * <p>Unchecked, as a closed lock is a state the program chose ({@link IllegalStateException}):
 * catch it where a shutdown is expected.
 *
 * {@snippet :
 * mutex.close(new IllegalStateException("shutting down"));
 * try {
 *     mutex.lock();
 * } catch (LockClosedException closed) {
 *     log.info(closed.getMessage()); // "AsyncMutex 'routes' is closed (java.lang.IllegalStateException: shutting down)"
 * }
 * }
 */
public final class LockClosedException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception for one refused or withdrawn acquisition; the locks make these, and a
     * caller has no reason to.
     *
     * @param lock  the lock's type and name, as in {@code AsyncMutex 'routes'}
     * @param cause the cause given to {@code close}
     */
    public LockClosedException(String lock, Throwable cause) {
        super(Objects.requireNonNull(lock, "lock") + " is closed (" + cause + ")", cause);
    }
}
