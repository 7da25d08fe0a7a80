package dev.asynclocks;

import dev.asynclocks.internal.LockOptions;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The options every lock's builder has: a name, an executor for granted continuations, and a bound
 * on the queue. {@link AsyncMutex.Builder}, {@link AsyncRwLock.Builder} and
 * {@link AsyncSemaphore.Builder} extend it; each setter returns the concrete builder, so the calls
 * chain into that builder's {@code build()}.
 *
 * <p>A builder is not thread-safe. Each {@code build()} makes a new, independent lock with the
 * options set so far; the builder may be changed and used again afterwards.
 *
 * {@snippet :
 * static <B extends LockBuilder<B>> B monitored(B builder, String name) {   // any lock's builder
 *     return builder.name(name).maxWaiters(10_000);
 * }
 *
 * AsyncMutex mutex = monitored(AsyncMutex.builder(), "cache").build();
 * AsyncSemaphore pool = monitored(AsyncSemaphore.builder(10), "db").executor(executor).build();
 * }
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract sealed class LockBuilder<B extends LockBuilder<B>>
        permits AsyncMutex.Builder, AsyncRwLock.Builder, AsyncSemaphore.Builder {

    private final LockOptions.Builder options = new LockOptions.Builder();

    LockBuilder() {
    }

    /** @return this builder as its concrete type */
    abstract B self();

    /** @return the options set so far */
    final LockOptions options() {
        return options.build();
    }

    /**
     * Names the lock. The name shows in {@code toString()}, in timeout messages, in JFR events
     * and in leaked-guard reports; a lock without one is called {@code unnamed} there.
     *
     * @param name a short name
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     */
    public final B name(String name) {
        options.name(Objects.requireNonNull(name, "name"));
        return self();
    }

    /**
     * Completes granted async acquisitions on {@code executor} instead of on the releasing
     * thread, so that their continuations run there. Threads parked in {@code lock()} are simply
     * unparked either way, and an acquisition granted at once still completes on the calling
     * thread. If the executor rejects the task, or throws anything else (an {@link Error}
     * included), the acquisition is completed on the releasing thread instead, unless the
     * executor ran the task before it threw: each grant is delivered exactly once, a release never
     * throws and a grant is never lost.
     *
     * @param executor runs the continuations of granted waiters
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     */
    public final B executor(Executor executor) {
        options.executor(Objects.requireNonNull(executor, "executor"));
        return self();
    }

    /**
     * Bounds the queue: an acquisition that would make more than {@code maxWaiters} wait fails
     * at once with {@link java.util.concurrent.RejectedExecutionException} (a failed stage for
     * {@code acquire} and {@code withLock}, thrown by {@code lock}): back-pressure instead of
     * unbounded memory. Acquisitions granted at once, and every {@code tryAcquire}, are unaffected.
     * Unbounded unless set.
     *
     * <p>An {@code AsyncRwLock} upgrade is never refused for this bound: it waits at the head of
     * the queue for permits its upgradable hold already keeps from everyone else.
     *
     * @param maxWaiters the most acquisitions that may wait at once; zero means none may wait
     * @return this builder
     * @throws IllegalArgumentException if {@code maxWaiters} is negative
     */
    public final B maxWaiters(int maxWaiters) {
        options.maxWaiters(maxWaiters);
        return self();
    }

    /**
     * Makes {@code lock()} and {@code lock(Duration)} fail fast, with an
     * {@link IllegalStateException} saying why, instead of parking forever when only the calling
     * thread's own holds could let them through: the thread already holds the lock exclusively (a
     * mutex or write lock taken again: these locks are not reentrant), its request can never fit
     * beside the permits it holds, or it holds a read lock and asks for it again while a writer
     * waits for that read lock to end (the writer is ahead in the queue, so the new read waits for
     * the writer, which waits for the thread). Nothing is queued or held when it throws. It refuses
     * also when the request it would queue behind has a timeout or may be cancelled: the wait
     * could then end only by that request giving up, which is not a state to rely on.
     * {@code AsyncRwLock.lockUpgrade} is checked the same way: refused while the thread holds plain
     * read locks of its own, which the upgrade would wait for.
     *
     * <p>On an {@code AsyncSemaphore} the check judges by the total at that instant: a wait that
     * another thread's {@code addPermits} would end counts as a self-deadlock, so do not turn it on
     * for a semaphore that grows while threads wait (a gate).
     *
     * <p>What counts: holds the thread acquired itself through {@code lock}, {@code lock(Duration)}
     * or {@code tryAcquire}, until they are released (on whatever thread). Off by default, because
     * it costs every such acquisition a {@link ThreadLocal} lookup and a small guard object, and
     * because it assumes a guard stays with its thread: a thread that hands its guard to another
     * thread, which will release it, and then waits for the lock again would be refused with this
     * option. What stays undetectable: async acquisitions ({@code acquire}, {@code withLock}) have
     * no owner thread, so a hold taken that way, and a {@code acquire().join()} that waits for one,
     * are never counted; and deadlocks between two threads (each waiting for the other's hold)
     * are not self-deadlocks.
     *
     * {@snippet :
     * AsyncMutex mutex = AsyncMutex.builder().detectSelfDeadlock().build();
     * try (Guard outer = mutex.lock()) {
     *     mutex.lock();   // IllegalStateException: the calling thread already holds it
     * }
     * }
     *
     * @return this builder
     */
    public final B detectSelfDeadlock() {
        options.detectSelfDeadlock();
        return self();
    }
}
