package dev.asynclocks;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * A {@link GuardedValue} under an exclusive lock, which may therefore also be replaced: the way to
 * change an immutable value (a record, an immutable map) that {@code apply} could only read.
 *
 * <p>Made by {@link GuardedMutex}, which is one, and by {@link GuardedRwLock#write()}. Everything
 * {@link GuardedValue} says (what it cannot prevent, memory effects, reentrancy) holds here too.
 *
 * {@snippet :
 * record Stats(long requests, long failures) {}
 *
 * GuardedMutex<Stats> stats = new GuardedMutex<>(new Stats(0, 0));
 * stats.update(s -> new Stats(s.requests() + 1, s.failures()));   // read, compute, replace: one section
 * long failures = stats.apply(Stats::failures);
 * }
 *
 * @param <T> the type of the guarded value
 */
public interface UpdatableValue<T> extends GuardedValue<T> {

    /**
     * Replaces the value with {@code function}'s result, computed from the current value while
     * holding the lock, parking the calling thread until the lock is granted. Nobody sees the
     * value between the read and the replacement.
     *
     * <p><b>Fairness:</b> as {@link AsyncLock#lock()}. There is no timeout: the thread waits until
     * the lock is granted or it is interrupted ({@link #update(Duration, UnaryOperator)} gives up).
     *
     * <p><b>Interruption:</b> if the thread is interrupted before or while it waits, the function
     * is not called, the value is unchanged, nothing is left held, and
     * {@link InterruptedException} is thrown (with the interrupt status cleared).
     *
     * <p><b>Failure:</b> if the function throws, or returns {@code null} (a
     * {@link NullPointerException}), the value is unchanged, the lock is released and the
     * exception propagates.
     *
     * @param function computes the new value from the current one, under the lock; not null-valued
     * @throws InterruptedException if the thread is interrupted before the lock is granted
     * @throws NullPointerException if {@code function} is null, or returned null
     */
    void update(UnaryOperator<T> function) throws InterruptedException;

    /**
     * Replaces the value with {@code function}'s result, parking the calling thread for at most
     * {@code timeout} until the lock is granted; as {@link #update(UnaryOperator)} otherwise.
     *
     * <p><b>Fairness:</b> as {@link AsyncLock#lock(Duration)}; a zero timeout is a try.
     *
     * <p><b>Timeout and interruption:</b> when the timeout elapses first, or the thread is
     * interrupted first, the function is not called, the value is unchanged, nothing is left
     * held, and {@link TimeoutException} or {@link InterruptedException} is thrown. The timeout
     * covers the wait for the lock only, never the function.
     *
     * @param timeout  how long to wait for the lock; zero means do not wait
     * @param function computes the new value from the current one, under the lock; not null-valued
     * @throws InterruptedException if the thread is interrupted before the lock is granted
     * @throws TimeoutException if the lock was not granted within {@code timeout}
     * @throws NullPointerException if {@code timeout} or {@code function} is null, or the function
     *                              returned null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    void update(Duration timeout, UnaryOperator<T> function) throws InterruptedException, TimeoutException;

    /**
     * Acquires the lock asynchronously, replaces the value with {@code function}'s result, and
     * releases: the stage counterpart of {@link #update(UnaryOperator)}. The function runs on the
     * thread that grants the lock (see {@link AsyncLock}).
     *
     * <p><b>Failure:</b> if the function throws, or returns {@code null}, the value is unchanged,
     * the lock is released and the stage fails with that exception (a
     * {@link NullPointerException} for {@code null}).
     *
     * <p><b>Fairness:</b> as {@link AsyncLock#acquire()}.
     *
     * <p><b>Cancellation:</b> as {@link GuardedValue#applyAsync}: cancelling the returned stage
     * (or completing it in any other way, an {@code orTimeout} included) before the lock is granted
     * withdraws the acquisition and the value is not replaced. There is no timeout of its own and no
     * interruption: to give up waiting, cancel the stage or put a timeout on it.
     *
     * @param function computes the new value from the current one, under the lock; not null-valued
     * @return a stage completed (with {@code null}) once the value was replaced and the lock released
     * @throws NullPointerException if {@code function} is null
     */
    CompletionStage<Void> updateAsync(UnaryOperator<T> function);
}
