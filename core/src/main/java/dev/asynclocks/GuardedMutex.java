package dev.asynclocks;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A value owned by an {@link AsyncMutex}: it can be reached only inside a critical section of the
 * mutex, one section at a time (tokio's {@code Mutex<T>}).
 *
 * <p>Sections are functions: {@link #apply(Function)} on a (virtual) thread that may park,
 * {@link #applyAsync(Function)} in stage code, {@link #withValue(Function)} for a section that
 * holds the lock across asynchronous work, and the {@code update} methods to replace the value.
 * Each takes the mutex in the way {@link AsyncLock} documents (strict FIFO, cancellation,
 * timeouts, interruption) and releases it on every path out of the section. What the API cannot
 * prevent (a section letting the value escape) is listed in {@link GuardedValue}.
 *
 * {@snippet :
 * GuardedMutex<List<String>> log = new GuardedMutex<>(new ArrayList<>());
 *
 * log.apply(lines -> lines.add("started"));                // a data section on a virtual thread
 * int count = log.apply(List::size);                       // only the result leaves the section
 * CompletionStage<List<String>> copy = log.applyAsync(List::copyOf);   // in stage code: a copy out
 * }
 *
 * @param <T> the type of the guarded value
 */
public final class GuardedMutex<T> implements UpdatableValue<T> {

    private final AsyncMutex mutex;
    private final LockedValue.Updatable<T> value;

    /**
     * Guards {@code value} by a new mutex, with default options.
     *
     * @param value the initial value; from now on, reach it through this object only
     * @throws NullPointerException if {@code value} is null
     */
    public GuardedMutex(T value) {
        this(new AsyncMutex(), value);
    }

    /**
     * Guards {@code value} by {@code mutex}, for a mutex built with options
     * ({@link AsyncMutex#builder()}) or watched through its monitoring methods. Use the mutex for
     * nothing else: a hold of it taken directly excludes this value's sections, and a section
     * that takes it deadlocks.
     *
     * @param mutex the mutex every section holds
     * @param value the initial value; from now on, reach it through this object only
     * @throws NullPointerException if {@code mutex} or {@code value} is null
     */
    public GuardedMutex(AsyncMutex mutex, T value) {
        this.mutex = Objects.requireNonNull(mutex, "mutex");
        this.value = new LockedValue.Updatable<>(mutex, new LockedValue.Slot<>(value), "value", this);
    }

    @Override
    public <R> R apply(Function<? super T, ? extends R> function) throws InterruptedException {
        return value.apply(function);
    }

    @Override
    public <R> R apply(Duration timeout, Function<? super T, ? extends R> function)
            throws InterruptedException, TimeoutException {
        return value.apply(timeout, function);
    }

    @Override
    public <R> CompletionStage<R> applyAsync(Function<? super T, ? extends R> function) {
        return value.applyAsync(function);
    }

    @Override
    public <R> CompletionStage<R> withValue(Function<? super T, ? extends CompletionStage<R>> action) {
        return value.withValue(action);
    }

    @Override
    public void update(UnaryOperator<T> function) throws InterruptedException {
        value.update(function);
    }

    @Override
    public void update(Duration timeout, UnaryOperator<T> function) throws InterruptedException, TimeoutException {
        value.update(timeout, function);
    }

    @Override
    public CompletionStage<Void> updateAsync(UnaryOperator<T> function) {
        return value.updateAsync(function);
    }

    /**
     * Closes the mutex behind this value for good, as {@link AsyncMutex#close(Throwable)}: every
     * section waiting now, and every section asked for later, fails with a
     * {@link LockClosedException} carrying {@code cause} (thrown by the parking methods, the
     * failure of the stage of the async ones) and never runs; a section already running finishes
     * normally.
     *
     * {@snippet :
     * sessions.close(new IllegalStateException("shutting down"));
     * }
     *
     * @param cause why it is closed
     * @return {@code true} if this call closed it; {@code false} if it was closed already
     * @throws NullPointerException if {@code cause} is null
     */
    public boolean close(Throwable cause) {
        return mutex.close(cause);
    }

    /**
     * Tells whether {@link #close(Throwable)} (or the mutex's own) has been called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return mutex.isClosed();
    }

    /**
     * @return the mutex's name and state, as in {@code GuardedMutex[AsyncMutex 'sessions' [free]]};
     *         never the value, which only a section may read
     */
    @Override
    public String toString() {
        return "GuardedMutex[" + mutex + "]";
    }
}
