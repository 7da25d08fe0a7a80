package dev.asynclocks;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A fair lock that hands out {@link Guard}s, asynchronously or to a parked virtual thread.
 *
 * <p>Implemented by {@link AsyncMutex}, and by the {@linkplain AsyncRwLock#readLock() read} and
 * {@linkplain AsyncRwLock#writeLock() write} views of {@link AsyncRwLock}.
 *
 * <p><b>Fairness.</b> Acquisitions are granted strictly in the order in which they were made. An
 * acquisition that cannot be granted at once joins the end of one FIFO queue; nothing barges past
 * that queue, not even {@link #tryAcquire()}.
 *
 * <p><b>Cancellation.</b> The stage returned by {@link #acquire()} belongs to the caller. Cancelling
 * its {@code toCompletableFuture()} (or completing it, or failing it) while it waits removes the
 * acquisition from the queue. If the cancel races with the grant, exactly one wins: either
 * {@code cancel} returns {@code true} and the lock passes to the next waiter, or the acquisition
 * completes with a guard the caller then owns. The grant is the moment that decides: once an
 * acquisition has been granted, a cancel (or a completion, or its timeout) returns {@code false}
 * even if the guard has not reached the stage yet (it may be on its way through the executor).
 * Obtruding a value or exception onto a granted stage abandons its hold, which is released. The
 * lock is never lost.
 *
 * <p><b>Where continuations run.</b> A stage that completes at once runs its dependents on the
 * calling thread. A queued acquisition is completed by the thread that made the lock available
 * (the one that called {@link Guard#release()}, or cancelled the waiter ahead), unless the lock was
 * built with an executor, which then completes it. Hand-offs never recurse: a chain of waiters that
 * each release inside their continuation runs in a loop on one stack, however long it is.
 * Continuations should therefore not block.
 *
 * <p><b>Closing.</b> The primitive behind a lock ({@link AsyncMutex}, {@link AsyncRwLock},
 * {@link AsyncSemaphore}) can be closed for good with its {@code close(cause)}: the acquisitions
 * waiting then, and every one made after, fail at once with a {@link LockClosedException} that
 * names the lock and carries the cause; live guards still release normally.
 *
 * <p>Not reentrant: a holder that acquires again waits for itself forever, unless the lock was
 * built with {@link LockBuilder#detectSelfDeadlock()}, which makes such a {@code lock()} throw
 * (for holds the thread took synchronously: {@code lock} or {@code tryAcquire}).
 *
 * {@snippet :
 * AsyncLock lock = new AsyncMutex();
 * CompletionStage<Response> response = lock.withLock(() -> client.sendAsync(request));
 * }
 */
public interface AsyncLock {

    /**
     * Acquires the lock asynchronously.
     *
     * <p><b>Fairness:</b> granted after every acquisition made before it; completes at once when the
     * lock is free and nobody waits.
     *
     * <p><b>Cancellation:</b> cancelling (or completing) the returned stage's
     * {@code toCompletableFuture()} before it is granted removes it from the queue; see the class
     * comment for the race with the grant. A failure the caller completes it with stays as given
     * (a {@code TimeoutException} of the caller's is a cancellation, not a timeout). Cancelling a
     * stage derived from it ({@code acquire().thenApply(f)}) does not withdraw it. There is no
     * timeout and no interruption.
     *
     * @return a stage completed with the guard of the new hold, or failed with
     *         {@link LockClosedException} if the lock is closed before the grant
     */
    CompletionStage<Guard> acquire();

    /**
     * Acquires the lock asynchronously, giving up after {@code timeout}.
     *
     * <p><b>Fairness:</b> as {@link #acquire()}. A zero timeout is a try: the stage is already
     * complete, with a guard if the lock was free and nobody waited, else with a
     * {@link TimeoutException}.
     *
     * <p><b>Cancellation and timeout:</b> when the timeout elapses first the stage fails with
     * {@link TimeoutException} and the acquisition leaves the queue; if it is granted first, the
     * timeout does nothing. Cancelling the stage behaves as for {@link #acquire()}. Timeouts are
     * the lock's own: one task per lock, for the earliest deadline, on the JDK's shared
     * {@link java.util.concurrent.CompletableFuture} delay scheduler (the library starts no
     * thread), which also runs what the timeout completes; a timeout fires up to about a
     * millisecond late, never early. A timeout of 2<sup>62</sup> nanoseconds (about 146 years) or
     * more means "no timeout".
     *
     * @param timeout how long to wait; zero means do not wait
     * @return a stage completed with the guard of the new hold, or failed with {@link TimeoutException}
     *         (or {@link LockClosedException} if the lock is closed before the grant)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    CompletionStage<Guard> acquire(Duration timeout);

    /**
     * Acquires the lock only if it is free and nobody waits for it; never queues, never barges.
     *
     * <p>A failed attempt has no effect, on memory or on the queue.
     *
     * @return the guard of the new hold, or empty
     * @throws LockClosedException if the lock is closed
     */
    Optional<Guard> tryAcquire();

    /**
     * Acquires the lock, parking the calling thread until it is granted. On a virtual thread this
     * parks the virtual thread only, never its carrier. A platform thread first spins briefly
     * (at most 1,024 {@link Thread#onSpinWait()}; {@code -Ddev.asynclocks.parkSpins=N} sets the
     * bound, 0 turns it off) in case the grant lands within a short section, which spares it a
     * park and a wake-up; a virtual thread parks at once.
     *
     * <p><b>Fairness:</b> as {@link #acquire()}.
     *
     * <p><b>Interruption:</b> if the thread is interrupted before or while it waits, it leaves the
     * queue and this method throws {@link InterruptedException} (with the interrupt status cleared).
     * If the grant happens at the same instant, the granted hold is released before the exception is
     * thrown: nothing is left behind.
     *
     * @return the guard of the new hold
     * @throws InterruptedException if the thread is interrupted before the lock is granted
     * @throws LockClosedException if the lock is closed before it is granted (also while parked)
     * @throws IllegalStateException if the lock was built with
     *         {@link LockBuilder#detectSelfDeadlock()} and only the calling thread's own holds
     *         could let this call through (nothing is queued or held then)
     */
    Guard lock() throws InterruptedException;

    /**
     * Acquires the lock, parking the calling thread for at most {@code timeout}.
     *
     * <p><b>Fairness:</b> as {@link #acquire()}; a zero timeout is a try that throws
     * {@link TimeoutException} when the lock is not free at once.
     *
     * <p><b>Timeout and interruption:</b> when the timeout elapses the thread leaves the queue and
     * {@link TimeoutException} is thrown; when it is interrupted, {@link InterruptedException}.
     * Exactly one of timeout and grant wins: a grant that lands first is returned. A grant that
     * races with an interrupt is released before the exception is thrown. A timeout too long to
     * represent in nanoseconds means "no timeout".
     *
     * @param timeout how long to wait; zero means do not wait
     * @return the guard of the new hold
     * @throws InterruptedException if the thread is interrupted before the lock is granted
     * @throws TimeoutException if the lock was not granted within {@code timeout}
     * @throws LockClosedException if the lock is closed before it is granted (also while parked)
     * @throws IllegalStateException as for {@link #lock()}, with {@code detectSelfDeadlock()}
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    Guard lock(Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Runs an asynchronous action while holding the lock: acquires, calls {@code action}, and
     * releases when the stage the action returned completes in any way.
     *
     * <p>If the action throws, or returns {@code null}, the lock is released and the returned stage
     * fails with that exception (a {@link NullPointerException} for {@code null}).
     *
     * <p><b>Fairness:</b> as {@link #acquire()}. <b>Cancellation:</b> cancelling the returned stage,
     * or completing it in any other way ({@code complete}, {@code completeExceptionally}, an
     * {@code orTimeout} of the caller's), before the lock is granted withdraws the acquisition at
     * once and the action never runs; once the action runs, cancelling the returned stage does not
     * cancel the action's own stage, and the lock is released when that stage completes. There is
     * no timeout of its own and no interruption.
     *
     * @param action supplies the stage that runs under the lock; called once, on the thread that
     *               grants the lock (see the class comment)
     * @param <T>    the action's result type
     * @return a stage completed as the action's stage completes, after the lock was released (failed
     *         with {@link LockClosedException}, the action never called, if the lock is closed
     *         before the grant)
     * @throws NullPointerException if {@code action} is null
     */
    <T> CompletionStage<T> withLock(Supplier<? extends CompletionStage<T>> action);
}
