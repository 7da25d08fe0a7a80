package dev.asynclocks.internal;

/**
 * An upgrade of an {@link UpgradableHold} to the write hold, waiting for the permits the plain
 * readers hold: the stage {@code AsyncRwLock.upgrade} returns and, once granted, the write guard.
 *
 * <p>Implementation overview: it waits for the permits the upgradable hold lacks (all but its
 * own), at the head of the queue: everyone queued would wait for the upgradable hold anyway (a
 * writer needs its permits; readers queue behind a waiting writer), so an upgrade queued at the
 * tail could wait for them forever. Its grant (under queueLock) takes the missing permits, sets
 * the state's X bit and a new generation as a write grant does, and ends the upgradable hold
 * ({@link UpgradableHold#endedByUpgradeLocked}): from then on this guard holds all the permits and
 * ends as any exclusive {@link Acquisition}. Withdrawn (cancel, timeout, interrupt, close), it
 * gives the upgradable hold back ({@link UpgradableHold#upgradeWithdrawnLocked}). Its deadline is
 * {@link #NO_DEADLINE} unless the upgrade was given a timeout.
 */
final class UpgradeAcquisition extends TimedAcquisition {

    /** The hold being upgraded. Final. */
    private final UpgradableHold upgradable;

    /**
     * @param need     the permits the upgradable hold lacks for the write hold
     * @param deadline {@link System#nanoTime()} deadline, or {@link #NO_DEADLINE}
     */
    UpgradeAcquisition(HandOffSemaphore owner, int need, long deadline, UpgradableHold upgradable) {
        super(owner, need, deadline);
        this.upgradable = upgradable;
    }

    UpgradableHold upgradable() {
        return upgradable;
    }

    /** Granted from the queue: the upgradable hold ended under the lock; its bookkeeping ends here. */
    @Override
    void wake(DeliveryTrampoline loop) {
        upgradable.finishEnd();
        super.wake(loop);
    }
}
