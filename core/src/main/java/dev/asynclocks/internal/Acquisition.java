package dev.asynclocks.internal;

import dev.asynclocks.Guard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One acquisition: the stage that {@code acquire()} returns, the {@link Guard} it completes with,
 * and, while it waits, the node of the engine's wait queue. One object per acquisition (48 bytes
 * with compressed pointers; 56 for a {@link TimedAcquisition}), so a queued async waiter costs one
 * allocation and the uncontended async path allocates once. A parked {@code lock()} queues a
 * {@link ParkedAcquisition}, which the caller never sees.
 *
 * <p>The stage is the caller's to play with; the queue never depends on its state (it reads only
 * {@code held} and the links, which no public method reaches). Every public way to complete this
 * future from outside ({@code cancel}, {@code complete}, {@code completeExceptionally},
 * {@code completeAsync}, {@code obtrude*}, and {@code orTimeout}/{@code completeOnTimeout}, which
 * call them) <em>abandons</em> the acquisition: a queued node is withdrawn, a granted hold released.
 *
 * <pre>
 * Implementation overview
 *
 *   held:   -n (waiting for n permits) --grant, under queueLock--> n (held)
 *                                           --release / downgrade: CAS n -> 0--> 0 (released)
 *           An unwatched exclusive hold (n = all permits) ends as ExclusiveHold does: held is
 *           set to 0 by every contender, and the engine's generation check (the ticket) decides.
 *   queued: exactly while linked (prev/next, or the engine's head), under the engine's queueLock;
 *           grant and withdraw both unlink it there, so exactly one of them happens.
 *   ticket: the grant count that granted it (the generation of the hold, the sampling ticket of
 *           the monitor), written at the grant before held turns positive.
 *   attachment: while queued, null or the Long nanoTime stamp of its enqueue (when the monitor
 *               samples its wait); after the grant, the monitor's HoldRecord if the hold is
 *               watched, else null.
 *   next: the queue link while queued; once granted, it chains the batch one hand-off wakes and
 *         then a DeliveryTrampoline's pending list, owned by the single thread doing that.
 *
 *   The grant (under the engine's lock) is the single point that decides a race with a
 *   completion from outside: cancel, complete, completeExceptionally and the timeout withdraw a
 *   node that is still queued, then complete the future (so dependents see the node gone); once
 *   the node is granted they lose (return false) and the guard is delivered, even if it is still
 *   on its way. Only an obtrude overrides a grant: it releases the hold. The grant's delivery
 *   releases the hold itself if it finds the future already completed (an obtrude got there
 *   first). The CAS on held (for an exclusive hold, the engine's generation check) makes every
 *   release after the first a no-op, so both may try.
 *
 *                       append (under queueLock)
 *                              |
 *                              v
 *                         +---------+   grant (under queueLock: permits taken in state, node
 *                         | QUEUED  |   unlinked, then held = n)        +---------+  wake(), outside
 *                         +---------+ --------------------------------> | GRANTED |  queueLock: deliver
 *                              |                                        +---------+  (or unpark)
 *                              | withdraw: cancel / timeout / interrupt / abandon
 *                              v           (under queueLock: node unlinked)
 *                         +-----------+
 *                         | WITHDRAWN |
 *                         +-----------+
 * </pre>
 */
class Acquisition extends CompletableFuture<Guard> implements PermitGuard {

    private static final VarHandle HELD;
    private static final VarHandle ATTACHMENT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HELD = lookup.findVarHandle(Acquisition.class, "held", int.class);
            ATTACHMENT = lookup.findVarHandle(Acquisition.class, "attachment", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The engine the permits belong to. Final. */
    private final HandOffSemaphore owner;

    /** See the overview. */
    private volatile Object attachment;

    /**
     * See the overview. Negated by the granting thread; zeroed by one CAS from whoever ends a
     * shared hold, or by every contender for an exclusive one (the engine's generation decides).
     */
    private volatile int held;

    /** Queue links; see the overview. Read and written under the engine's queueLock while queued. */
    Acquisition prev;
    Acquisition next;

    /** See the overview. Written before the volatile write of {@code held} that publishes the grant. */
    private int ticket;

    /**
     * The trampoline delivering this acquisition, while its continuations run in that delivery
     * (else {@code null}): a release from inside them, on that thread, hands the next grant to the
     * running loop directly. Written by the delivering thread; another thread may read a stale
     * value, which {@link DeliveryTrampoline#isRunningHere} then refuses.
     */
    private DeliveryTrampoline deliveringLoop;

    /** A queued acquisition of {@code permits}: pending, not yet enqueued. */
    Acquisition(HandOffSemaphore owner, int permits) {
        this.owner = owner;
        HELD.set(this, -permits);
    }

    /** An acquisition of {@code permits} granted at once: already complete, with itself. */
    private Acquisition(HandOffSemaphore owner, int permits, int ticket) {
        this.owner = owner;
        this.ticket = ticket;
        HELD.set(this, permits);
        ATTACHMENT.set(this, owner.monitor().watch(this, permits, ticket));
        super.obtrudeValue(this);
    }

    static Acquisition grantedAtOnce(HandOffSemaphore owner, int permits, int ticket) {
        return new Acquisition(owner, permits, ticket);
    }

    // ---- the queue's view ------------------------------------------------------------------

    /** @return the permits this acquisition needs; constant while it is queued */
    final int permits() {
        return Math.abs(held);
    }

    /** Under queueLock, when appended: the monitor samples this wait from {@code nanoTime}. */
    final void stampEnqueued(long nanoTime) {
        ATTACHMENT.setRelease(this, nanoTime);
    }

    /** @return the enqueue stamp, or {@code null} if the monitor does not sample this wait */
    final Long enqueueStamp() {
        return attachment instanceof Long stamp ? stamp : null;
    }

    /**
     * Marks the node granted. Called under queueLock, once, by the granting thread, after the
     * node was unlinked and the state word holding its grant was written: whoever sees the mark
     * also sees the hold in the state (a timed waiter may look without being woken).
     *
     * @param generation the grant count the grant wrote (identifies an exclusive hold)
     */
    final void markGranted(int generation) {
        markGranted(generation, -held);
    }

    /**
     * {@link #markGranted(int)} for a grant that leaves this guard holding {@code permits}, more
     * than it waited for (an {@link UpgradeAcquisition}: the write hold, its upgradable permits
     * included).
     */
    final void markGranted(int generation, int permits) {
        ticket = generation;
        HELD.setRelease(this, permits); // after the state write (release order), before any wake
    }

    /**
     * Under queueLock, when {@code close} withdraws this queued node: {@code held} 0 without a
     * grant means it never will be, and a racing cancel, timeout or interrupt finds it gone, as
     * it would after a grant.
     */
    final void closeOutLocked() {
        HELD.setRelease(this, 0);
    }

    /**
     * After {@code close} withdrew this node, outside the engine's lock: fails the stage with the
     * lock's {@link dev.asynclocks.LockClosedException}, unless the caller completed it first.
     */
    void closedOut() {
        super.completeExceptionally(owner.closedException());
    }

    /** @return whether the grant has been made (and the hold not yet ended) */
    final boolean isGranted() {
        return held > 0;
    }

    /** @return the grant count that granted this acquisition; valid once granted */
    final int ticket() {
        return ticket;
    }

    /**
     * Tells the acquirer that it has been granted. Called once, after {@link #markGranted(int)},
     * outside the queueLock, by the granting thread, which has entered its
     * {@link DeliveryTrampoline} {@code loop} if any node of its batch is not parked. Hands the
     * grant to the builder's executor, or else schedules it on {@code loop}, which the granting
     * thread runs once it has woken the whole batch (so a batch is delivered in grant order).
     * Never throws.
     */
    void wake(DeliveryTrampoline loop) {
        HoldRecord record = owner.monitor().watch(this, held, ticket);
        if (record != null) {
            // A volatile store, not a release store: with the read of held below and the
            // releaser's CAS of held, then read of attachment, it makes sure one of the two ends
            // the record.
            attachment = record;
            if (held == 0) {
                record.released(); // the caller abandoned the hold before the record was attached
            }
        } else if (attachment != null) {
            // Drops a sampled wait's enqueue stamp. No fence needed: without a record there is
            // nothing for a releaser to end, and a stale stamp is never read after the grant.
            ATTACHMENT.setRelease(this, null);
        }
        Executor executor = owner.executor();
        if (executor != null) {
            ExecutorDelivery delivery = new ExecutorDelivery(this);
            try {
                executor.execute(delivery);
                return;
            } catch (Throwable failed) {
                // Rejected, shut down, out of threads, or broken: deliver on this thread rather
                // than lose the grant, and never let a release throw. An executor that ran the
                // task before it threw has delivered already; the claim makes that exactly once.
                if (!delivery.claim()) {
                    return;
                }
            }
        }
        loop.schedule(this);
    }

    /**
     * The node was granted without ever being queued, on the caller's own thread inside
     * {@code acquire}: nobody else can hold this future yet, so it completes here.
     */
    final void completeGrantedInline(int ticket) {
        completeGrantedInline(ticket, -held);
    }

    /** {@link #completeGrantedInline(int)}, leaving this guard holding {@code permits}. */
    final void completeGrantedInline(int ticket, int permits) {
        this.ticket = ticket;
        held = permits;
        HoldRecord record = owner.monitor().watch(this, held, ticket);
        if (record != null) {
            attachment = record; // nobody else has this future yet: no race with a release
        }
        super.complete(this);
    }

    /**
     * Completes the future with this guard; if the caller completed it first, the acquisition was
     * abandoned and the grant is released, passing the permits on.
     */
    final void deliver() {
        if (!super.complete(this)) {
            release();
        }
    }

    /** {@link #deliver()} from {@code loop}'s run, which a release from the continuations may reuse. */
    final void deliverOn(DeliveryTrampoline loop) {
        deliveringLoop = loop;
        try {
            deliver();
        } finally {
            deliveringLoop = null;
        }
    }

    /**
     * Decides a completion from outside (cancel, complete, completeExceptionally, timeout) that
     * races with the grant. The grant, made under the engine's lock, is the one point that decides:
     * a node still queued is withdrawn first (so the stage's dependents, which run inside the
     * completion, see it gone) and the completion goes ahead; a node already granted wins, and the
     * completion loses (returns {@code false}) even if the guard is still on its way to the future.
     *
     * @return {@code true} if the grant won and the caller's completion must not happen
     */
    private boolean grantWins(Withdrawal reason) {
        if (isDone()) {
            return false; // the future decides by itself: the caller's completion will fail
        }
        if (held >= 0) {
            return true; // granted (or closed out): held turns non-negative only then
        }
        if (owner.withdraw(this, reason)) {
            return false;
        }
        // Not queued: granted or closed out (held >= 0, read after withdraw took the lock the grant
        // or close held), or withdrawn by a concurrent completion from outside (held < 0), which
        // then races with ours.
        return held >= 0;
    }

    // ---- Guard ------------------------------------------------------------------------------

    @Override
    public void release() {
        endHold(0);
    }

    @Override
    public boolean endHold(int keep) {
        int permits = held;
        if (permits <= 0) {
            return false;
        }
        DeliveryTrampoline loop = deliveringLoop;
        DeliveryTrampoline running = DeliveryTrampoline.isRunningHere(loop) ? loop : null;
        if (permits == owner.exclusivePermits()) {
            return endExclusiveHold(keep, running);
        }
        if (HELD.compareAndSet(this, permits, 0)) {
            endRecord();
            owner.endHold(permits, keep, HandOffSemaphore.OWN_COUNT, running);
            return true;
        }
        return false;
    }

    /**
     * Ends an exclusive hold the way {@link ExclusiveHold} does, watched or not: the engine's
     * generation check (the ticket of an exclusive grant is its generation) alone decides which
     * of concurrent or repeated releases wins, one atomic step fewer than a CAS on {@code held}.
     * (Deciding by the CAS on {@code held} for watched holds and by the generation for unwatched
     * ones let two contenders that read {@code attachment} on either side of {@link #wake}'s
     * write both return the permits: found in review.)
     *
     * <p>{@code held} is cleared first, by every contender. A record already attached is ended
     * before the engine call (any release of this guard means its hold is ending or has ended, and
     * {@link HoldRecord#released()} is idempotent), so an observer hears of the end before the
     * next holder's grant; it is looked for again after the call, for a record that {@link #wake}
     * attached meanwhile. That second look relies on the engine's deciding step (a CAS on the
     * state, or taking its lock) ordering the release store of {@code held} before the read of
     * {@code attachment}, as HotSpot's CAS does (a full fence on x86; on AArch64 a store-release is
     * not reordered with a later load-acquire); the JMM does not promise it, and were it missed
     * the only effect would be a leak report for a hold that was released.
     */
    private boolean endExclusiveHold(int keep, DeliveryTrampoline running) {
        HELD.setRelease(this, 0);
        endRecord();
        if (!owner.endHold(owner.exclusivePermits(), keep, ticket, running)) {
            return false;
        }
        endRecord();
        return true;
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

    private void endRecord() {
        if (attachment instanceof HoldRecord record) {
            record.released();
        }
    }

    // ---- the caller's ways to complete the future: each one abandons the acquisition -------

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return !grantWins(Withdrawal.CANCELLED) && super.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean complete(Guard value) {
        return !grantWins(Withdrawal.CANCELLED) && super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        Objects.requireNonNull(failure, "failure"); // bad input changes nothing
        // Always the caller's: the lock's own timeout comes through timedOut(), never through here,
        // so a caller's TimeoutException is a cancellation and keeps its own exception object.
        return !grantWins(Withdrawal.CANCELLED) && super.completeExceptionally(failure);
    }

    /**
     * The lock's own timeout: the engine's {@link DeadlineTimer} walk has withdrawn this
     * acquisition (and counted the timeout); fails the stage with the lock's
     * {@link TimeoutException}, unless the caller completed it first. Called outside the engine's
     * lock, after the withdrawal, so the stage's dependents see it withdrawn.
     */
    final void timedOut() {
        super.completeExceptionally(owner.timeoutException());
    }

    @Override
    public void obtrudeValue(Guard value) {
        if (value == this) {
            super.obtrudeValue(value); // re-asserting its own guard abandons nothing
            return;
        }
        obtrudeAndAbandon(() -> super.obtrudeValue(value));
    }

    @Override
    public void obtrudeException(Throwable failure) {
        Objects.requireNonNull(failure, "failure"); // bad input changes nothing
        obtrudeAndAbandon(() -> super.obtrudeException(failure));
    }

    /** An obtrude always takes effect: a queued node is withdrawn first, a granted hold released after. */
    private void obtrudeAndAbandon(Runnable obtrude) {
        boolean withdrawn = held < 0 && owner.withdraw(this, Withdrawal.CANCELLED);
        obtrude.run();
        if (!withdrawn) {
            release(); // granted (or never queued): the hold is abandoned
        }
    }

    @Override
    public CompletableFuture<Guard> completeAsync(Supplier<? extends Guard> supplier, Executor executor) {
        return CallerCompletion.completeAsync(this, supplier, executor);
    }

    @Override
    public String toString() {
        int permits = held;
        String state = permits < 0 ? "waiting for " + -permits : permits == 0 ? "released" : "holds " + permits;
        return "Acquisition[" + state + " of " + owner.describe() + ", " + super.toString() + "]";
    }
}
