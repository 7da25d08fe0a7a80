package dev.asynclocks.internal;

import dev.asynclocks.Guard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The stage that {@code acquire()} returns, which is also the {@link Guard} it completes with: one
 * object per acquisition, so the uncontended async path allocates once.
 *
 * <p>The stage is the caller's to play with; the queue never depends on its state. The queue node
 * is a separate {@link AsyncWaiter} the caller never sees, and every public way to complete this
 * future from outside ({@code cancel}, {@code complete}, {@code completeExceptionally},
 * {@code completeAsync}, {@code obtrude*}, and {@code orTimeout}/{@code completeOnTimeout}, which
 * call them) <em>abandons</em> the acquisition: a queued node is withdrawn, a granted hold released.
 *
 * <pre>
 *   Implementation overview: the guard state {@code held}
 *
 *     NOT_GRANTED (-1) --grant: set to n--> n (held) --release / takeOver: CAS n -> 0--> 0 (released)
 * </pre>
 *
 * <p>The grant sets {@code held} before it tries to complete the future with {@code this}. If the
 * caller completed the future first, the grant's completion fails and the grant releases the hold
 * itself; if the caller's completion comes second, it fails (the future is done) unless it is an
 * obtrude, which releases. The CAS on {@code held} makes every release after the first a no-op, so
 * the two sides may both try.
 */
final class Acquisition extends CompletableFuture<Guard> implements PermitGuard {

    private static final int NOT_GRANTED = -1;
    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(Acquisition.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The engine the permits belong to. Final. */
    private final HandOffSemaphore owner;

    /** The queue node, or {@code null} for an acquisition granted at once. Final. */
    private final AsyncWaiter node;

    /**
     * {@code NOT_GRANTED}, then the permits held, then 0. Set to the permits by the granting thread
     * (before the future completes); set to 0 by one CAS from whoever ends the hold.
     */
    private volatile int held;

    /** A queued acquisition of {@code permits}: pending, with its node not yet enqueued. */
    Acquisition(HandOffSemaphore owner, int permits) {
        this.owner = owner;
        this.node = new AsyncWaiter(permits, this);
        HELD.set(this, NOT_GRANTED);
    }

    /** An acquisition of {@code permits} granted at once: already complete, with itself. */
    private Acquisition(HandOffSemaphore owner, int permits, boolean grantedAtOnce) {
        this.owner = owner;
        this.node = null;
        HELD.set(this, permits);
        super.obtrudeValue(this);
    }

    static Acquisition grantedAtOnce(HandOffSemaphore owner, int permits) {
        return new Acquisition(owner, permits, true);
    }

    AsyncWaiter node() {
        return node;
    }

    /**
     * Called once the node has been granted without ever being queued (the caller's own thread,
     * inside {@code acquire}): nobody else can hold this future yet, so it completes here.
     */
    void completeGrantedInline() {
        held = node.permits;
        super.complete(this);
    }

    /** Called once, by the thread that granted the queued node, outside the engine's lock. */
    void onGranted() {
        held = node.permits;
        Executor executor = owner.executor();
        if (executor != null) {
            try {
                // Through the trampoline even there: a direct executor must not recurse either.
                executor.execute(() -> DeliveryTrampoline.deliver(this));
                return;
            } catch (RejectedExecutionException | NullPointerException rejected) {
                // Fall through: complete on this thread rather than lose the grant.
            }
        }
        DeliveryTrampoline.deliver(this);
    }

    /**
     * Completes the future with this guard; if the caller completed it first, the acquisition was
     * abandoned and the grant is released, passing the permits on.
     */
    void deliver() {
        if (!super.complete(this)) {
            release();
        }
    }

    /** Withdraws the queued node, or, if it was already granted, releases the hold. */
    private void abandon() {
        if (node != null && owner.cancel(node)) {
            return;
        }
        release();
    }

    // ---- Guard ------------------------------------------------------------------------------

    @Override
    public void release() {
        int permits = held;
        if (permits > 0 && HELD.compareAndSet(this, permits, 0)) {
            owner.release(permits);
        }
    }

    @Override
    public boolean isReleased() {
        return held == 0;
    }

    @Override
    public HandOffSemaphore owner() {
        return owner;
    }

    @Override
    public int heldPermits() {
        return held;
    }

    @Override
    public boolean takeOver(int expected) {
        return expected > 0 && HELD.compareAndSet(this, expected, 0);
    }

    // ---- the caller's ways to complete the future: each one abandons the acquisition -------

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            abandon();
        }
        return cancelled;
    }

    @Override
    public boolean complete(Guard value) {
        boolean completed = super.complete(value);
        if (completed) {
            abandon();
        }
        return completed;
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        if (failure instanceof TimeoutException && failure.getMessage() == null) {
            // orTimeout's own exception has no message; say which lock timed out.
            failure = owner.timeoutException();
        }
        boolean completed = super.completeExceptionally(failure);
        if (completed) {
            abandon();
        }
        return completed;
    }

    @Override
    public void obtrudeValue(Guard value) {
        super.obtrudeValue(value);
        if (value != this) {
            abandon();
        }
    }

    @Override
    public void obtrudeException(Throwable failure) {
        super.obtrudeException(failure);
        abandon();
    }

    @Override
    public CompletableFuture<Guard> completeAsync(Supplier<? extends Guard> supplier, Executor executor) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(executor, "executor");
        executor.execute(() -> {
            Guard value;
            try {
                value = supplier.get();
            } catch (Throwable failure) {
                completeExceptionally(failure);
                return;
            }
            complete(value);
        });
        return this;
    }

    @Override
    public String toString() {
        int permits = held;
        String state = permits == NOT_GRANTED ? "waiting" : permits == 0 ? "released" : "holds " + permits;
        return "Acquisition[" + state + " of " + owner.name() + ", " + super.toString() + "]";
    }
}
