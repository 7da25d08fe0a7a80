package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZZ_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * An upgrade waits for the one plain reader; its cancel races with the reader's release, which
 * grants it. The grant decides: cancelled first, the upgradable hold is held again by its guard;
 * granted first, the cancel loses and the write guard holds everything (r1 = cancel() returned
 * true, r2 = upgrade granted, r3 = the upgradable guard still live, r4 = once everything is
 * released the lock is free).
 */
@JCStressTest
@Outcome(id = "true, false, true, true", expect = ACCEPTABLE, desc = "cancel first: the upgradable hold is held again")
@Outcome(id = "false, true, false, true", expect = ACCEPTABLE, desc = "release first: upgraded, the cancel lost")
@Outcome(expect = FORBIDDEN, desc = "both, neither, the upgradable hold lost, or permits lost")
@State
public class UpgradeCancelVersusReaderRelease {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard upgradable = lock.upgradableReadLock().tryAcquire().orElseThrow();
    private final Guard reader = lock.readLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> upgrade = Stages.future(lock.upgrade(upgradable));

    @Actor
    public void cancel(ZZZZ_Result r) {
        r.r1 = upgrade.cancel(false);
    }

    @Actor
    public void release() {
        reader.release();
    }

    @Arbiter
    public void arbiter(ZZZZ_Result r) {
        r.r2 = Stages.granted(upgrade);
        r.r3 = !upgradable.isReleased();
        Stages.releaseIfGranted(upgrade);
        upgradable.release();
        r.r4 = !lock.isWriteLocked() && lock.readers() == 0 && lock.queueLength() == 0
                && Stages.tookAndReleased(lock.writeLock().tryAcquire());
    }
}
