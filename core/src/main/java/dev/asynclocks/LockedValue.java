package dev.asynclocks;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One lock and the slot of the value it guards: the ways in of {@link GuardedMutex} and of the read
 * view of {@link GuardedRwLock}. {@link Updatable}, for an exclusive lock, may also replace the
 * value. Built on the public {@link AsyncLock} only: every section is a hold of {@code lock}, so
 * queueing, cancellation, timeouts and the release on every path are the lock's.
 *
 * {@snippet :
 * Slot<Routes> slot = new Slot<>(routes);
 * GuardedValue<Routes> read = new LockedValue<>(rw.readLock(), slot, "read view", this);
 * UpdatableValue<Routes> write = new LockedValue.Updatable<>(rw.writeLock(), slot, "write view", this);
 * }
 *
 * @param <T> the type of the guarded value
 */
class LockedValue<T> implements GuardedValue<T> {

    /**
     * The guarded value, shared by the views of one lock.
     *
     * @param <T> the type of the value
     */
    static final class Slot<T> {
        /**
         * Plain field, never null: written only under an exclusive hold of the lock (or before the
         * slot is published, by the constructor of its owner, which publishes it by a final field),
         * read only under a hold. The lock's release happens-before its next acquisition, which
         * orders every access.
         */
        T value;

        Slot(T value) {
            this.value = Objects.requireNonNull(value, "value");
        }
    }

    private final AsyncLock lock;
    private final Slot<T> slot;
    private final String view;
    private final Object owner;

    /**
     * @param lock  the lock every section holds
     * @param slot  the value
     * @param view  which view this is, for {@code toString}
     * @param owner the guarded value this is a view of, for {@code toString}
     */
    LockedValue(AsyncLock lock, Slot<T> slot, String view, Object owner) {
        this.lock = lock;
        this.slot = slot;
        this.view = view;
        this.owner = owner;
    }

    @Override
    public final <R> R apply(Function<? super T, ? extends R> function) throws InterruptedException {
        Objects.requireNonNull(function, "function");
        try (Guard guard = lock.lock()) {
            return function.apply(slot.value);
        }
    }

    @Override
    public final <R> R apply(Duration timeout, Function<? super T, ? extends R> function)
            throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(function, "function");
        try (Guard guard = lock.lock(timeout)) {
            return function.apply(slot.value);
        }
    }

    @Override
    public final <R> CompletionStage<R> applyAsync(Function<? super T, ? extends R> function) {
        Objects.requireNonNull(function, "function");
        return lock.withLock(() -> CompletableFuture.completedFuture(function.apply(slot.value)));
    }

    @Override
    public final <R> CompletionStage<R> withValue(Function<? super T, ? extends CompletionStage<R>> action) {
        Objects.requireNonNull(action, "action");
        return lock.withLock(() -> action.apply(slot.value));
    }

    @Override
    public String toString() {
        return view + " of " + owner; // never the value: reading it needs the lock
    }

    /**
     * A value under an exclusive lock: also replaceable.
     *
     * @param <T> the type of the guarded value
     */
    static final class Updatable<T> extends LockedValue<T> implements UpdatableValue<T> {

        Updatable(AsyncLock exclusiveLock, Slot<T> slot, String view, Object owner) {
            super(exclusiveLock, slot, view, owner);
        }

        @Override
        public void update(UnaryOperator<T> function) throws InterruptedException {
            Objects.requireNonNull(function, "function");
            apply(value -> replace(function));
        }

        @Override
        public void update(Duration timeout, UnaryOperator<T> function) throws InterruptedException, TimeoutException {
            Objects.requireNonNull(function, "function");
            apply(timeout, value -> replace(function));
        }

        @Override
        public CompletionStage<Void> updateAsync(UnaryOperator<T> function) {
            Objects.requireNonNull(function, "function");
            return applyAsync(value -> replace(function));
        }

        /** Called under the exclusive hold: the one writer of the slot. */
        private Void replace(UnaryOperator<T> function) {
            Slot<T> slot = ((LockedValue<T>) this).slot;
            slot.value = Objects.requireNonNull(function.apply(slot.value), "the update function returned null");
            return null;
        }
    }
}
