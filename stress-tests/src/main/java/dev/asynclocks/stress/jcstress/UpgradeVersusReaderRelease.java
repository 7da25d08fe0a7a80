package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * An upgradable read and one plain read are held; the upgrade races with the plain reader's
 * release. Either order ends with the upgrade granted (at once if the reader left first, else by
 * the release): r1 = granted, r2 = the lock is write-locked then, r3 = once the write guard is
 * released, the lock is free (no permit lost or minted, nobody queued, the upgradable guard spent).
 */
@JCStressTest
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "the upgrade granted, in either order")
@Outcome(expect = FORBIDDEN, desc = "an upgrade left waiting beside free permits, or permits lost")
@State
public class UpgradeVersusReaderRelease {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard upgradable = lock.upgradableReadLock().tryAcquire().orElseThrow();
    private final Guard reader = lock.readLock().tryAcquire().orElseThrow();
    private volatile CompletableFuture<Guard> upgrade;

    @Actor
    public void upgrade() {
        upgrade = Stages.future(lock.upgrade(upgradable));
    }

    @Actor
    public void release() {
        reader.release();
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r1 = Stages.granted(upgrade);
        r.r2 = lock.isWriteLocked();
        Stages.releaseIfGranted(upgrade);
        r.r3 = upgradable.isReleased() && !lock.isWriteLocked() && lock.readers() == 0 && lock.queueLength() == 0
                && Stages.tookAndReleased(lock.writeLock().tryAcquire());
    }
}
