package dev.asynclocks.zookeeper;

import dev.asynclocks.AsyncLock;
import dev.asynclocks.Guard;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A handle on a distributed lock: a {@linkplain ZkLockClient#mutex(String) mutex}, or the
 * {@linkplain ZkRwLock#readLock() read} or {@linkplain ZkRwLock#writeLock() write} view of a
 * read-write lock. It implements {@link AsyncLock}, so code written against {@code AsyncLock} runs
 * unchanged on an in-process lock or on this one.
 *
 * <p>Every guard it hands out is a {@link FencedGuard}: {@link #lock()} says so in its type; the
 * guards from {@link #acquire()} and {@link #tryAcquire()} are cast.
 *
 * {@snippet :
 * ZkLock lock = zk.mutex("/locks/invoices");
 * lock.acquire(Duration.ofSeconds(30)).thenAccept(guard -> {
 *     try (guard) {
 *         long token = ((FencedGuard) guard).fencingToken();
 *         invoices.append(entry, token);               // the store rejects a stale token
 *     }
 * });
 * }
 *
 * <p><b>Fairness.</b> One FIFO queue across every client: the order of the waiter znodes'
 * sequence numbers. Within one client, acquisitions of one path queue in an in-process FIFO before
 * they create a znode, so their order is the order of the calls. A writer (or mutex) waits for
 * every znode ahead of it; a reader waits only for the writers ahead of it, so a waiting writer
 * holds back the readers behind it. Consecutive readers of one client share one read znode
 * ({@link ZkRwLock}).
 *
 * <p><b>Cancellation.</b> As for {@link AsyncLock}: the returned stage is the caller's. Cancelling
 * or completing it before the grant withdraws the acquisition, and its waiter znode is deleted,
 * also when the cancel races with the znode's create (the znode is deleted when the create
 * returns) or with the grant (exactly one wins; a lost hold is released). A crashed client's znode
 * is deleted by the ensemble when its session expires.
 *
 * <p><b>Failures.</b> A stage fails with {@link ZkLockException} (naming the connect string and the
 * path) when the ensemble cannot be reached for longer than the session timeout or the session
 * expires while waiting.
 *
 * <p><b>Threads.</b> Stages are completed on the client's executor, never on ZooKeeper's event
 * thread; {@link #tryAcquire()} blocks the calling thread for the round trips to the ensemble.
 */
public final class ZkLock implements AsyncLock {

    /** Written once in the constructor. */
    private final ZkLockClient client;
    /** Written once in the constructor; validated. */
    private final String path;
    /** Written once in the constructor. */
    private final NodeKind kind;

    ZkLock(ZkLockClient client, String path, NodeKind kind) {
        this.client = client;
        this.path = path;
        this.kind = kind;
    }

    /**
     * The lock's znode path.
     *
     * @return the path, the parent of the lock's waiter znodes
     */
    public String path() {
        return path;
    }

    /**
     * Acquires the lock asynchronously.
     *
     * <p><b>Fairness:</b> granted after every acquisition ahead of it in the queue (see the class
     * comment). <b>Cancellation:</b> cancelling or completing the returned stage before the grant
     * withdraws it and deletes its waiter znode; once granted, cancel returns {@code false} and the
     * guard arrives. There is no timeout; the stage fails with {@link ZkLockException} if the
     * session is lost while it waits.
     *
     * @return a stage completed with a {@link FencedGuard}
     */
    @Override
    public CompletionStage<Guard> acquire() {
        return Acquisition.start(this, false).stage;
    }

    /**
     * Acquires the lock asynchronously, giving up after {@code timeout}.
     *
     * <p><b>Fairness:</b> as {@link #acquire()}. A zero timeout is a try ({@link #tryAcquire()}):
     * the stage is already complete, with a guard or a {@link TimeoutException}.
     *
     * <p><b>Cancellation and timeout:</b> when the timeout elapses first, the stage fails with
     * {@link TimeoutException} and the waiter znode is deleted; a grant that lands first stands.
     * Cancelling behaves as for {@link #acquire()}. A timeout too long to represent in nanoseconds
     * means "no timeout".
     *
     * @param timeout how long to wait; zero means do not wait
     * @return a stage completed with a {@link FencedGuard}, or failed with {@link TimeoutException}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    @Override
    public CompletionStage<Guard> acquire(Duration timeout) {
        long nanos = timeoutNanos(timeout);
        if (nanos == 0) {
            try {
                return tryAcquire().map(CompletableFuture::completedFuture)
                        .orElseGet(() -> CompletableFuture.failedFuture(timedOut(timeout)));
            } catch (ZkLockException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        AcquireStage stage = Acquisition.start(this, false).stage;
        if (nanos != Long.MAX_VALUE) {
            stage.orTimeout(nanos, TimeUnit.NANOSECONDS);
        }
        return stage;
    }

    /**
     * Acquires the lock only if it can be granted at once: nobody it would wait for holds it or
     * waits for it, in this client or any other (for a reader: no writer; for a writer or mutex:
     * nobody); never queues, never barges. Blocks the calling thread for a few round trips to the
     * ensemble (create the waiter znode, list the queue, delete the znode if someone is ahead). A
     * reader whose client already holds the read lock, with nobody queued behind, shares that hold
     * after one listing of the queue.
     *
     * <p>A failed attempt leaves no znode behind: it returns after its znode is deleted.
     *
     * @return a {@link FencedGuard}, or empty
     * @throws ZkLockException if the ensemble cannot be reached within the session timeout
     */
    @Override
    public Optional<Guard> tryAcquire() {
        Acquisition acquisition = Acquisition.tryStart(this);
        if (acquisition == null) {
            return Optional.empty();                              // someone in this client holds or waits
        }
        try {
            return Optional.of(acquisition.stage.join());
        } catch (CompletionException e) {
            if (e.getCause() == Acquisition.NOT_FREE) {
                WaiterNode own = acquisition.node;
                if (own != null && own.tryOnly) {
                    own.deleted.join();                           // return once its znode is gone
                }
                return Optional.empty();
            }
            throw rethrow(e.getCause());
        }
    }

    /**
     * Acquires the lock, parking the calling thread until it is granted (on a virtual thread, the
     * virtual thread only).
     *
     * <p><b>Fairness:</b> as {@link #acquire()}.
     *
     * <p><b>Interruption:</b> an interrupt before or while waiting withdraws the acquisition (its
     * waiter znode is deleted) and throws {@link InterruptedException}; a grant that races with the
     * interrupt is released.
     *
     * @return the guard of the new hold
     * @throws InterruptedException if the thread is interrupted before the lock is granted
     * @throws ZkLockException      if the session is lost while waiting
     */
    @Override
    public FencedGuard lock() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        AcquireStage stage = Acquisition.start(this, true).stage;
        try {
            return (FencedGuard) stage.get();
        } catch (InterruptedException e) {
            abandon(stage);
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /**
     * Acquires the lock, parking the calling thread for at most {@code timeout}.
     *
     * <p><b>Fairness:</b> as {@link #acquire()}; a zero timeout is a try.
     *
     * <p><b>Timeout and interruption:</b> when the timeout elapses first the acquisition is
     * withdrawn (its znode deleted) and {@link TimeoutException} is thrown; a grant that lands
     * first is returned. An interrupt withdraws it and throws {@link InterruptedException}; a grant
     * racing with it is released. A timeout too long for nanoseconds means "no timeout".
     *
     * @param timeout how long to wait; zero means do not wait
     * @return the guard of the new hold
     * @throws InterruptedException if the thread is interrupted before the lock is granted
     * @throws TimeoutException     if the lock was not granted within {@code timeout}
     * @throws ZkLockException      if the session is lost while waiting
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    @Override
    public FencedGuard lock(Duration timeout) throws InterruptedException, TimeoutException {
        long nanos = timeoutNanos(timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (nanos == 0) {
            return (FencedGuard) tryAcquire().orElseThrow(() -> timedOut(timeout));
        }
        if (nanos == Long.MAX_VALUE) {
            return lock();
        }
        AcquireStage stage = Acquisition.start(this, true).stage;
        try {
            return (FencedGuard) stage.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (stage.completeExceptionally(e)) {
                throw timedOut(timeout);
            }
            try {
                return (FencedGuard) stage.join();                // the grant won the race
            } catch (CompletionException failed) {
                throw rethrow(failed.getCause());
            }
        } catch (InterruptedException e) {
            abandon(stage);
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /**
     * Runs an asynchronous action while holding the lock: acquires, calls {@code action}, and
     * releases when the stage the action returned completes in any way (also if the action throws
     * or returns {@code null}; the result then fails with that exception).
     *
     * <p><b>Fairness:</b> as {@link #acquire()}. <b>Cancellation:</b> cancelling or completing the
     * returned stage before the grant withdraws the acquisition and the action never runs; after
     * the grant, the hold lasts until the action's own stage completes.
     *
     * @param action supplies the stage that runs under the lock; called once, on the client's
     *               executor
     * @param <T>    the action's result type
     * @return a stage completed as the action's stage completes, after the lock was released
     */
    @Override
    public <T> CompletionStage<T> withLock(Supplier<? extends CompletionStage<T>> action) {
        Objects.requireNonNull(action, "action");
        AcquireStage acquisition = Acquisition.start(this, false).stage;
        CompletableFuture<T> result = new CompletableFuture<>();
        result.whenComplete((v, e) -> acquisition.cancel(false));  // withdraws if not yet granted
        acquisition.whenComplete((guard, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure instanceof CompletionException c ? c.getCause() : failure);
                return;
            }
            CompletionStage<T> running;
            try {
                running = Objects.requireNonNull(action.get(), "withLock action returned null");
            } catch (Throwable t) {
                guard.release();
                result.completeExceptionally(t);
                return;
            }
            running.whenComplete((value, error) -> {
                guard.release();
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        });
        return result;
    }

    @Override
    public String toString() {
        return "ZkLock[" + kind.label + " " + path + " at " + client.connectString() + "]";
    }

    // ---- for the package ----------------------------------------------------------------------

    ZkLockClient client() {
        return client;
    }

    NodeKind kind() {
        return kind;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** @return the timeout in nanoseconds, Long.MAX_VALUE when too long to represent */
    private static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout is negative: " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private TimeoutException timedOut(Duration timeout) {
        return new TimeoutException("lock '" + path + "' not granted within " + timeout);
    }

    /** After an interrupt: withdraw, or release the grant that won. */
    private static void abandon(AcquireStage stage) {
        if (!stage.cancel(false)) {
            stage.whenComplete((guard, failure) -> {
                if (guard != null) {
                    guard.release();
                }
            });
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r && !(cause instanceof CancellationException)) {
            return r;
        }
        return new ZkLockException("acquisition of a ZooKeeper lock failed", cause);
    }
}
