package dev.asynclocks.internal;

import java.util.concurrent.Executor;

/**
 * The options every primitive's builder collects.
 *
 * @param name       shown in {@code toString()}, messages and events; {@code null} for an unnamed lock
 * @param executor   completes granted async acquisitions; {@code null} to complete them on the
 *                   releasing thread
 * @param maxWaiters the most acquisitions that may wait at once; more are rejected
 * @param detectSelfDeadlock whether a {@code lock()} that only the calling thread's own holds
 *                   could end fails instead of parking (the engine then counts each thread's
 *                   synchronously acquired permits)
 */
public record LockOptions(String name, Executor executor, int maxWaiters, boolean detectSelfDeadlock) {

    /** No name, continuations on the releasing thread, an unbounded queue, no self-deadlock check. */
    public static final LockOptions DEFAULT = new LockOptions(null, null, Integer.MAX_VALUE, false);

    /**
     * Options without the self-deadlock check.
     *
     * @param name       as the record's
     * @param executor   as the record's
     * @param maxWaiters as the record's
     */
    public LockOptions(String name, Executor executor, int maxWaiters) {
        this(name, executor, maxWaiters, false);
    }

    /** Mutable collector behind the public builders. Not thread-safe. */
    public static final class Builder {
        private String name;
        private Executor executor;
        private int maxWaiters = Integer.MAX_VALUE;
        private boolean detectSelfDeadlock;

        /** @param name the lock's name, not null */
        public void name(String name) {
            this.name = name;
        }

        /** @param executor the continuation executor, not null */
        public void executor(Executor executor) {
            this.executor = executor;
        }

        /**
         * @param maxWaiters the queue bound
         * @throws IllegalArgumentException if {@code maxWaiters} is negative
         */
        public void maxWaiters(int maxWaiters) {
            if (maxWaiters < 0) {
                throw new IllegalArgumentException("maxWaiters must not be negative, is " + maxWaiters);
            }
            this.maxWaiters = maxWaiters;
        }

        /** Turns the self-deadlock check on. */
        public void detectSelfDeadlock() {
            this.detectSelfDeadlock = true;
        }

        /** @return the options collected so far */
        public LockOptions build() {
            return new LockOptions(name, executor, maxWaiters, detectSelfDeadlock);
        }
    }
}
