package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * No writer between the check and the write: an upgrade waits for the one plain reader, whose
 * release races with a writer's {@code tryAcquire}. The writer must never get in, before, during
 * or after the hand-off to the upgrade (r1 = the writer's try succeeded, r2 = the upgrade was
 * granted).
 */
@JCStressTest
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the upgrade granted, the writer kept out")
@Outcome(expect = FORBIDDEN, desc = "a writer slipped in between the upgradable hold and its upgrade")
@State
public class WriterTryVersusUpgradeGrant {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard upgradable = lock.upgradableReadLock().tryAcquire().orElseThrow();
    private final Guard reader = lock.readLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> upgrade = Stages.future(lock.upgrade(upgradable));

    @Actor
    public void release() {
        reader.release();
    }

    @Actor
    public void writer(ZZ_Result r) {
        r.r1 = Stages.tookAndReleased(lock.writeLock().tryAcquire());
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        r.r2 = Stages.granted(upgrade);
        Stages.releaseIfGranted(upgrade);
    }
}
