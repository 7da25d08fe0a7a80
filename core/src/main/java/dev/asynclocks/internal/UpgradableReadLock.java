package dev.asynclocks.internal;

import dev.asynclocks.AsyncLock;
import dev.asynclocks.Guard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The upgradable read view of an {@code AsyncRwLock}, and its upgrades and downgrades.
 *
 * {@snippet :
 * UpgradableReadLock upgradable = new UpgradableReadLock(engine);
 * Guard check = upgradable.lock();
 * Guard write = upgradable.lockUpgrade(check, Duration.ofSeconds(1));
 * }
 *
 * <pre>
 * Implementation overview
 *
 *   An upgradable read takes U = total / 2 + 1 of the engine's permits: two such holds cannot fit
 *   together (so two upgraders can never wait for each other), a writer (all permits) cannot fit
 *   beside one, and plain readers (1 each) share the rest. Upgrading waits for the other
 *   total - U permits, which only plain readers can hold (HandOffSemaphore.upgrade, at the head of
 *   the queue): the upgradable permits never leave, so no writer can come in between.
 *
 *   Its acquisitions are the engine's own, of U permits, whose guard is then taken over by an
 *   UpgradableHold (adopt: the engine guard ends without returning its permits), the one kind of
 *   guard an upgrade accepts. An async acquisition's stage is an UpgradableReadStage around the
 *   engine's, which keeps the engine's rules (the grant decides a race with the caller's cancel).
 *
 *   With maxReaders = 2, U is 2: an upgradable read then excludes plain readers too, and an
 *   upgrade needs no more permits (it is granted at once).
 * </pre>
 */
public final class UpgradableReadLock implements AsyncLock {

    private static final VarHandle HOLDS;

    static {
        try {
            HOLDS = MethodHandles.lookup().findVarHandle(UpgradableReadLock.class, "holds", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HandOffSemaphore engine;
    private final int permits;

    /** Live upgradable holds: 0 or 1 but for the instants around a hand-over. */
    private volatile int holds;

    /**
     * @param engine a fixed engine of at least 2 permits (a read-write lock's)
     */
    public UpgradableReadLock(HandOffSemaphore engine) {
        this.engine = engine;
        this.permits = engine.totalPermits() / 2 + 1;
    }

    HandOffSemaphore engine() {
        return engine;
    }

    /** @return the permits of an upgradable read hold */
    int permits() {
        return permits;
    }

    void holdStarted() {
        HOLDS.getAndAdd(this, 1);
    }

    void holdEnded() {
        HOLDS.getAndAdd(this, -1);
    }

    /**
     * @return the plain read holds among the engine's shared permits, a snapshot for monitoring
     *         (the upgradable hold, if any, counts as one reader)
     */
    public int readers() {
        int shared = engine.sharedHeldPermits();
        return holds > 0 ? Math.max(0, shared - permits + 1) : shared;
    }

    // ---- AsyncLock -----------------------------------------------------------------------------

    @Override
    public CompletionStage<Guard> acquire() {
        return new UpgradableReadStage(engine.acquire(permits).toCompletableFuture(), this);
    }

    @Override
    public CompletionStage<Guard> acquire(Duration timeout) {
        return new UpgradableReadStage(engine.acquire(permits, timeout).toCompletableFuture(), this);
    }

    @Override
    public Optional<Guard> tryAcquire() {
        return engine.tryAcquire(permits).map(this::adopt);
    }

    @Override
    public Guard lock() throws InterruptedException {
        return adopt(engine.lock(permits));
    }

    @Override
    public Guard lock(Duration timeout) throws InterruptedException, TimeoutException {
        return adopt(engine.lock(permits, timeout));
    }

    @Override
    public <T> CompletionStage<T> withLock(Supplier<? extends CompletionStage<T>> action) {
        Objects.requireNonNull(action, "action");
        return HandOffSemaphore.withGuard(acquire().toCompletableFuture(), action);
    }

    /** Takes over a guard of {@link #permits} just granted by the engine. */
    UpgradableHold adopt(Guard granted) {
        return engine.adoptUpgradable(granted, this);
    }

    // ---- upgrade and downgrade -----------------------------------------------------------------

    /**
     * See {@code AsyncRwLock.upgrade(Guard, Duration)}.
     *
     * @param timeout null for none
     */
    public CompletionStage<Guard> upgrade(Guard upgradableGuard, Duration timeout) {
        UpgradableHold hold = checked(upgradableGuard);
        long nanos = timeout == null ? HandOffSemaphore.NO_TIMEOUT : HandOffSemaphore.toNanos(timeout);
        return engine.upgrade(hold, nanos, false);
    }

    /**
     * See {@code AsyncRwLock.lockUpgrade(Guard, Duration)}.
     *
     * @param timeout null for none
     */
    public Guard lockUpgrade(Guard upgradableGuard, Duration timeout) throws InterruptedException, TimeoutException {
        UpgradableHold hold = checked(upgradableGuard);
        long nanos = timeout == null ? HandOffSemaphore.NO_TIMEOUT : HandOffSemaphore.toNanos(timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException(); // before anything changed: the upgradable hold stays
        }
        CompletableFuture<Guard> stage = engine.upgrade(hold, nanos, true);
        Guard write;
        try {
            write = stage.get();
        } catch (InterruptedException interrupted) {
            // stage is the queued UpgradeAcquisition (get() returns at once when it is done)
            if (engine.withdraw((Acquisition) stage, Withdrawal.INTERRUPTED)) {
                stage.cancel(false); // withdrawn: completes the stage; the upgradable hold is held again
                throw interrupted;
            }
            Thread.currentThread().interrupt(); // the grant came first and stands
            write = awaitOutcome(stage);
        } catch (ExecutionException failed) {
            throw rethrown(failed.getCause());
        }
        return engine.trackedByCurrentThread(write);
    }

    /** The outcome of a stage the interrupt could not withdraw (granted, or failed by a close or timeout). */
    private static Guard awaitOutcome(CompletableFuture<Guard> stage) throws TimeoutException {
        try {
            return stage.join();
        } catch (CompletionException failed) {
            throw rethrown(failed.getCause());
        }
    }

    private static RuntimeException rethrown(Throwable cause) throws TimeoutException {
        if (cause instanceof TimeoutException timeout) {
            throw timeout;
        }
        if (cause instanceof RuntimeException unchecked) {
            throw unchecked; // LockClosedException
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("upgrade failed", cause);
    }

    /** See {@code AsyncRwLock.downgradeToUpgradable(Guard)}. */
    public Guard downgradeToUpgradable(Guard writeGuard) {
        Objects.requireNonNull(writeGuard, "writeGuard");
        return engine.downgradeToUpgradable(writeGuard, this);
    }

    private UpgradableHold checked(Guard upgradableGuard) {
        Objects.requireNonNull(upgradableGuard, "upgradableGuard");
        if (!(upgradableGuard instanceof UpgradableHold hold) || hold.lock() != this) {
            throw new IllegalArgumentException("not an upgradable read guard of this lock: " + upgradableGuard);
        }
        return hold;
    }

    @Override
    public String toString() {
        return "UpgradableReadLock[" + permits + " of " + engine + "]";
    }
}
