package dev.asynclocks;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A value that can be reached only while holding the lock that guards it: code passes a function
 * in, and the function gets the value inside a critical section. There is no {@code get()}.
 *
 * <p>Made by {@link GuardedMutex}, which is one, and by {@link GuardedRwLock}, whose
 * {@linkplain GuardedRwLock#read() read} and {@linkplain GuardedRwLock#write() write} views are
 * ones. Every method takes the lock in the way {@link AsyncLock} documents (fair FIFO order,
 * cancellation, timeouts, interruption, where continuations run) and releases it on every path
 * out of the section.
 *
 * <p><b>What it cannot prevent.</b> The lock guards the value only while all code that reaches it
 * goes through these methods. The API never hands the value out of a section, but it cannot stop a
 * section from doing so:
 * <ul>
 *   <li>a function that returns the value, or a mutable part of it ({@code apply(v -> v)});</li>
 *   <li>a function that stores a reference somewhere (a field, a collection, a lambda that runs
 *       later, a thread or a stage it started);</li>
 *   <li>the code that made the initial value keeping its own reference to it;</li>
 *   <li>asynchronous work started in {@link #withValue} that touches the value after the stage
 *       it returned has completed;</li>
 *   <li>a section under a shared (read) lock that changes a mutable value.</li>
 * </ul>
 * A guarded value is safest when its mutable state is reachable from nowhere else: an object
 * made for the purpose and handed over at construction, or an immutable value that is replaced
 * whole ({@link UpdatableValue#update}), with sections that return copies or immutable results.
 *
 * <p><b>Memory consistency effects:</b> everything a section did to the value happens-before the
 * next section that gets the lock (a release happens-before the next acquisition it makes
 * possible). For {@link #withValue}, that includes the action's asynchronous work up to the
 * completion of the stage it returned.
 *
 * <p><b>Not reentrant:</b> a section that enters the same guarded value again (or takes its lock
 * directly) waits for itself forever, as with the lock itself; a read section that reads again
 * does so once a writer waits in between (see {@link AsyncRwLock}). Enter once, at the top.
 *
 * {@snippet :
 * GuardedMutex<Map<String, Session>> sessions = new GuardedMutex<>(new HashMap<>());
 *
 * // On a virtual thread: a data section; only the result leaves it.
 * int open = sessions.apply(Map::size);
 *
 * // In stage code, the same section without a thread to park:
 * CompletionStage<Boolean> known = sessions.applyAsync(map -> map.containsKey(id));
 *
 * // A logic section: the lock is held until the asynchronous work with the value is done.
 * CompletionStage<Void> saved = sessions.withValue(map -> store.saveAllAsync(List.copyOf(map.values())));
 * }
 *
 * @param <T> the type of the guarded value
 */
public interface GuardedValue<T> {

    /**
     * Applies {@code function} to the value while holding the lock, parking the calling thread
     * until the lock is granted, and returns the function's result. The function runs on the
     * calling thread; the lock is released when it returns or throws.
     *
     * <p><b>Fairness:</b> as {@link AsyncLock#lock()}. There is no timeout: the thread waits until
     * the lock is granted or it is interrupted ({@link #apply(Duration, Function)} gives up).
     *
     * <p><b>Interruption:</b> if the thread is interrupted before or while it waits, the function
     * is not called, nothing is left held, and {@link InterruptedException} is thrown (with the
     * interrupt status cleared). An interrupt that arrives while the function runs is left for
     * the function (and the code after it) to see.
     *
     * <p><b>Failure:</b> if the function throws, the lock is released and the exception
     * propagates unchanged.
     *
     * @param function gets the value, under the lock; its result is returned (it may be null)
     * @param <R>      the result type
     * @return what the function returned
     * @throws InterruptedException if the thread is interrupted before the lock is granted
     * @throws NullPointerException if {@code function} is null
     */
    <R> R apply(Function<? super T, ? extends R> function) throws InterruptedException;

    /**
     * Applies {@code function} to the value while holding the lock, parking the calling thread
     * for at most {@code timeout} until the lock is granted; as {@link #apply(Function)}
     * otherwise.
     *
     * <p><b>Fairness:</b> as {@link AsyncLock#lock(Duration)}; a zero timeout is a try, which
     * throws {@link TimeoutException} when the lock is not free at once.
     *
     * <p><b>Timeout and interruption:</b> when the timeout elapses first, or the thread is
     * interrupted first, the function is not called, nothing is left held, and
     * {@link TimeoutException} or {@link InterruptedException} is thrown. The timeout covers the
     * wait for the lock only, never the function.
     *
     * @param timeout  how long to wait for the lock; zero means do not wait
     * @param function gets the value, under the lock; its result is returned (it may be null)
     * @param <R>      the result type
     * @return what the function returned
     * @throws InterruptedException if the thread is interrupted before the lock is granted
     * @throws TimeoutException if the lock was not granted within {@code timeout}
     * @throws NullPointerException if {@code timeout} or {@code function} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    <R> R apply(Duration timeout, Function<? super T, ? extends R> function)
            throws InterruptedException, TimeoutException;

    /**
     * Acquires the lock asynchronously, applies {@code function} to the value, releases the lock,
     * and completes the returned stage with the function's result: the stage counterpart of
     * {@link #apply(Function)}, for a short data section.
     *
     * <p>The function runs on the thread that grants the lock: the caller's, when the lock is
     * free, else the one that releases it (or the lock's executor; see {@link AsyncLock}). If the
     * function throws, the lock is released and the stage fails with that exception.
     *
     * <p><b>Fairness:</b> as {@link AsyncLock#acquire()}.
     *
     * <p><b>Cancellation:</b> cancelling the returned stage's {@code toCompletableFuture()} before
     * the lock is granted withdraws the acquisition, and the function never runs. A cancel that
     * races with the grant either still keeps the function from running or finds it run; the
     * lock is released either way. Completing the stage in any other way before the grant
     * ({@code complete}, {@code completeExceptionally}, an {@code orTimeout} of the caller's)
     * withdraws it the same way. There is no timeout of its own and no interruption: to give up
     * waiting, cancel the stage or put a timeout on it ({@code orTimeout}).
     *
     * @param function gets the value, under the lock; its result completes the stage (it may be null)
     * @param <R>      the result type
     * @return a stage completed with the function's result, after the lock was released
     * @throws NullPointerException if {@code function} is null
     */
    <R> CompletionStage<R> applyAsync(Function<? super T, ? extends R> function);

    /**
     * Runs an asynchronous action with the value while holding the lock, and releases the lock
     * when the stage the action returned completes in any way: a logic section, for work with the
     * value that includes I/O (see {@link AsyncLock#withLock}).
     *
     * <p>The action is called once, on the thread that grants the lock. Its asynchronous work may
     * use the value until the stage it returned completes, and must not use it afterwards. If the
     * action throws, or returns {@code null}, the lock is released and the returned stage fails
     * with that exception (a {@link NullPointerException} for {@code null}).
     *
     * <p><b>Fairness:</b> as {@link AsyncLock#acquire()}.
     *
     * <p><b>Cancellation:</b> cancelling the returned stage before the lock is granted withdraws
     * the acquisition and the action never runs; once the action runs, cancelling the returned
     * stage does not cancel the action's own stage, and the lock is released when that stage
     * completes. Completing the stage in any other way before the grant withdraws it the same way.
     * There is no timeout of its own and no interruption: to give up waiting, cancel the stage or
     * put a timeout on it ({@code orTimeout}).
     *
     * @param action gets the value, under the lock, and returns the stage of the work done with it
     * @param <R>    the action's result type
     * @return a stage completed as the action's stage completes, after the lock was released
     * @throws NullPointerException if {@code action} is null
     */
    <R> CompletionStage<R> withValue(Function<? super T, ? extends CompletionStage<R>> action);
}
