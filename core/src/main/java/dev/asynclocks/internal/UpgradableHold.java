package dev.asynclocks.internal;

import dev.asynclocks.Guard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The guard of an upgradable read hold of an {@code AsyncRwLock}: more than half of the lock's
 * permits ({@link UpgradableReadLock}), which an upgrade turns into the write hold.
 *
 * <pre>
 * Implementation overview
 *
 *   state, changed by CAS (or, under the engine's queueLock, by the upgrade's grant or withdrawal):
 *
 *     HELD --release--> ENDED (the permits go back to the engine)
 *       |  ^
 *       |  | the upgrade withdrawn (cancel, timeout, interrupt, close; under queueLock)
 *       v  |
 *     UPGRADING --the upgrade granted (under queueLock)--> ENDED (the write hold has the permits)
 *       |
 *       | release (the permits stay with the upgrade until it ends)
 *       v
 *     RELEASE_PENDING --granted--> ENDED (the write hold has them)
 *                     --withdrawn--> ENDED (the withdrawing thread gives them back to the engine)
 *
 *   The permits are this guard's exactly while the state is not ENDED, and the one transition to
 *   ENDED hands them on (to the engine or to the write hold), so they go back once. The
 *   bookkeeping of the end (the monitor's record, the self-deadlock count, the lock's count of
 *   upgradable holds: finishEnd) runs once, outside queueLock, by the thread that made the
 *   transition (for a grant, the granting thread as it wakes the upgrade).
 * </pre>
 */
final class UpgradableHold implements Guard {

    static final int ENDED = 0;
    static final int HELD = 1;
    static final int UPGRADING = 2;
    static final int RELEASE_PENDING = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(UpgradableHold.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The view that made it (its engine, its permits, its count of holds). Final. */
    private final UpgradableReadLock lock;

    /** The acquiring thread's count if the engine detects self-deadlocks, else null. Final. */
    private final ThreadHolds.Count threadCount;

    /** The monitor's record of this hold, or null. Final. */
    private final HoldRecord record;

    /** See the overview. */
    private volatile int state = HELD;

    /** Set under queueLock when a withdrawal ended a RELEASE_PENDING hold; read by the same thread after. */
    private boolean endedByWithdrawal;

    /**
     * A live hold of the view's permits, which the caller has just taken over (counted in the
     * thread's self-deadlock count already, if {@code threadCount} is not null).
     */
    UpgradableHold(UpgradableReadLock lock, ThreadHolds.Count threadCount) {
        this.lock = lock;
        this.threadCount = threadCount;
        lock.holdStarted();
        this.record = lock.engine().watchAdopted(this, lock.permits());
    }

    UpgradableReadLock lock() {
        return lock;
    }

    int permits() {
        return lock.permits();
    }

    /** @return whether this hold's permits are in {@code count} (the self-deadlock count of a thread) */
    boolean isCountedIn(ThreadHolds.Count count) {
        return threadCount != null && threadCount == count;
    }

    /** @return whether an upgrade may start: CAS HELD -> UPGRADING */
    boolean beginUpgrade() {
        return STATE.compareAndSet(this, HELD, UPGRADING);
    }

    /**
     * Under queueLock (or before the upgrade was ever queued): the upgrade was granted; the write
     * hold now has this hold's permits. Call {@link #finishEnd()} once after, outside the lock.
     */
    void endedByUpgradeLocked() {
        state = ENDED; // from UPGRADING or RELEASE_PENDING; a racing release's CAS then fails
    }

    /**
     * Under queueLock (or before the upgrade was ever queued): the upgrade was withdrawn or
     * refused. The hold is live again, or, if it was released meanwhile, ends here.
     *
     * @return the permits the caller must return to the engine: 0, or all of this hold's
     */
    int upgradeWithdrawnLocked() {
        if (STATE.compareAndSet(this, UPGRADING, HELD)) {
            return 0;
        }
        state = ENDED; // RELEASE_PENDING: only this transition leaves it
        endedByWithdrawal = true;
        return lock.permits();
    }

    /** Outside queueLock, by the withdrawing thread: the bookkeeping of a hold its withdrawal ended. */
    void finishIfEndedByWithdrawal() {
        if (endedByWithdrawal) {
            endedByWithdrawal = false;
            finishEnd();
        }
    }

    /** The bookkeeping of the hold's end; once, by whoever ended it, before the permits go on. */
    void finishEnd() {
        uncount();
        lock.holdEnded();
    }

    /** The record and the thread's count end before the permits go back (TrackedGuard's rule). */
    private void uncount() {
        if (record != null) {
            record.released();
        }
        if (threadCount != null) {
            threadCount.add(-lock.permits());
        }
    }

    /**
     * Releases the upgradable hold. During an upgrade, the permits stay with the upgrade: granted,
     * they belong to the write hold; withdrawn, they go back to the lock.
     */
    @Override
    public void release() {
        while (true) {
            int s = state;
            if (s == HELD) {
                if (STATE.compareAndSet(this, HELD, ENDED)) {
                    uncount();
                    lock.engine().returnAdopted(lock.permits());
                    lock.holdEnded(); // after: readers() never counts the permits as plain reads
                    return;
                }
            } else if (s == UPGRADING) {
                if (STATE.compareAndSet(this, UPGRADING, RELEASE_PENDING)) {
                    return;
                }
            } else {
                return; // released already, or turned into the write hold
            }
        }
    }

    /** @return whether released, or turned into a write hold by an upgrade */
    @Override
    public boolean isReleased() {
        int s = state;
        return s == ENDED || s == RELEASE_PENDING;
    }

    @Override
    public String toString() {
        String what = switch (state) {
            case HELD -> "upgradable read, held";
            case UPGRADING -> "upgradable read, upgrading";
            default -> "upgradable read, released";
        };
        return "Guard[" + what + " of " + lock.engine().describe() + "]";
    }
}
