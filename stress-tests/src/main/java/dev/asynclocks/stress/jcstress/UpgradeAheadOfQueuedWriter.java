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
 * An upgradable read and a plain read are held, and a writer is queued (it waits for both). The
 * upgrade races with the plain reader's release: it must go ahead of the writer, which waits for
 * the upgradable hold, or the two would wait for each other forever (mutant M7 queues the upgrade
 * at the tail). r1 = upgrade granted, r2 = the writer still waits then, r3 = the writer is granted
 * once the write guard of the upgrade is released.
 */
@JCStressTest
@Outcome(id = "true, true, true", expect = ACCEPTABLE, desc = "the upgrade first, then the queued writer")
@Outcome(expect = FORBIDDEN, desc = "the upgrade stuck behind the writer that waits for it, or the writer first")
@State
public class UpgradeAheadOfQueuedWriter {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard upgradable = lock.upgradableReadLock().tryAcquire().orElseThrow();
    private final Guard reader = lock.readLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> writer = Stages.future(lock.writeLock().acquire());
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
        r.r2 = !writer.isDone();
        Stages.releaseIfGranted(upgrade);
        r.r3 = Stages.granted(writer);
        Stages.releaseIfGranted(writer);
        upgrade.cancel(false);  // the mutant's stuck upgrade: withdrawn, so the writer can go
        upgradable.release();
        Stages.releaseIfGranted(writer);
    }
}
