package dev.asynclocks;

import java.util.Objects;

/**
 * A value owned by an {@link AsyncRwLock}: readers reach it together under the read lock, a writer
 * alone under the write lock, and nobody reaches it outside a section (tokio's {@code RwLock<T>}).
 *
 * <p>{@link #read()} and {@link #write()} are the two ways in, each a {@link GuardedValue} with
 * parked, async and logic sections; the write view may also replace the value
 * ({@link UpdatableValue#update}), which is how an immutable value (a snapshot, an immutable map)
 * changes. Each section takes its side of the lock in the way {@link AsyncRwLock} and
 * {@link AsyncLock} document (one FIFO queue for readers and writers, cancellation, timeouts,
 * interruption) and releases it on every path out of the section.
 *
 * <p>A read section must only read: the read lock is shared, so a read section that changes a
 * mutable value races with the other readers. The lock cannot prevent that, nor the other escapes
 * listed in {@link GuardedValue}; an immutable value replaced by {@code write().update(...)} rules
 * out the first by construction.
 *
 * {@snippet :
 * GuardedRwLock<Map<String, URI>> routes = new GuardedRwLock<>(Map.of());
 *
 * Optional<URI> target = routes.read().apply(table -> Optional.ofNullable(table.get(service)));
 *
 * routes.write().update(table -> {                      // copy, change, replace: one write section
 *     Map<String, URI> next = new HashMap<>(table);
 *     next.put(service, backend);
 *     return Map.copyOf(next);
 * });
 * }
 *
 * @param <T> the type of the guarded value
 */
public final class GuardedRwLock<T> {

    private final AsyncRwLock lock;
    private final GuardedValue<T> read;
    private final UpdatableValue<T> write;

    /**
     * Guards {@code value} by a new read-write lock, with default options.
     *
     * @param value the initial value; from now on, reach it through this object only
     * @throws NullPointerException if {@code value} is null
     */
    public GuardedRwLock(T value) {
        this(new AsyncRwLock(), value);
    }

    /**
     * Guards {@code value} by {@code lock}, for a lock built with options
     * ({@link AsyncRwLock#builder()}) or watched through its monitoring methods. Use the lock for
     * nothing else: holds of it taken directly exclude this value's sections as any other holds
     * would, and a section that takes it may deadlock.
     *
     * @param lock  the read-write lock the sections hold
     * @param value the initial value; from now on, reach it through this object only
     * @throws NullPointerException if {@code lock} or {@code value} is null
     */
    public GuardedRwLock(AsyncRwLock lock, T value) {
        this.lock = Objects.requireNonNull(lock, "lock");
        LockedValue.Slot<T> slot = new LockedValue.Slot<>(value);
        this.read = new LockedValue<>(lock.readLock(), slot, "read view", this);
        this.write = new LockedValue.Updatable<>(lock.writeLock(), slot, "write view", this);
    }

    /**
     * The shared way in: every section of this view holds the read lock, together with any other
     * readers and never with a writer. Sections must not change the value. Fairness,
     * cancellation, timeouts and interruption are as each {@link GuardedValue} method says, with
     * readers and writers in one FIFO queue.
     *
     * @return the read view; the same object on every call
     */
    public GuardedValue<T> read() {
        return read;
    }

    /**
     * The exclusive way in: every section of this view holds the write lock, alone. It may change
     * a mutable value in place ({@code apply}) or replace the value ({@code update}). Fairness,
     * cancellation, timeouts and interruption are as each {@link UpdatableValue} method says.
     *
     * @return the write view; the same object on every call
     */
    public UpdatableValue<T> write() {
        return write;
    }

    /**
     * Closes the read-write lock behind this value for good, as {@link AsyncRwLock#close(Throwable)}: every
     * section waiting now, and every section asked for later, fails with a
     * {@link LockClosedException} carrying {@code cause} (thrown by the parking methods, the
     * failure of the stage of the async ones) and never runs; a section already running finishes
     * normally.
     *
     * {@snippet :
     * routes.close(new IllegalStateException("shutting down"));
     * }
     *
     * @param cause why it is closed
     * @return {@code true} if this call closed it; {@code false} if it was closed already
     * @throws NullPointerException if {@code cause} is null
     */
    public boolean close(Throwable cause) {
        return lock.close(cause);
    }

    /**
     * Tells whether {@link #close(Throwable)} (or the read-write lock's own) has been called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return lock.isClosed();
    }

    /**
     * @return the lock's name and state, as in {@code GuardedRwLock[AsyncRwLock 'routes' [read by 3]]};
     *         never the value, which only a section may read
     */
    @Override
    public String toString() {
        return "GuardedRwLock[" + lock + "]";
    }
}
