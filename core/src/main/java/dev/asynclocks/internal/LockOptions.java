package dev.asynclocks.internal;

import java.util.concurrent.Executor;

/**
 * The options every primitive's builder collects: a name for diagnostics and an optional executor
 * for the continuations of granted async waiters.
 *
 * @param name     shown in {@code toString()}; {@code null} for an unnamed lock
 * @param executor completes granted async acquisitions; {@code null} to complete them on the
 *                 releasing thread
 */
public record LockOptions(String name, Executor executor) {

    /** No name, continuations on the releasing thread. */
    public static final LockOptions DEFAULT = new LockOptions(null, null);

    /** Mutable collector behind the public builders. Not thread-safe. */
    public static final class Builder {
        private String name;
        private Executor executor;

        /** @param name the lock's name, not null */
        public void name(String name) {
            this.name = name;
        }

        /** @param executor the continuation executor, not null */
        public void executor(Executor executor) {
            this.executor = executor;
        }

        /** @return the options collected so far */
        public LockOptions build() {
            return new LockOptions(name, executor);
        }
    }
}
