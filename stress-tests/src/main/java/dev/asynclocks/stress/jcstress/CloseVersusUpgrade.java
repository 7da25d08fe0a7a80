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
 * An upgrade waits for the one plain reader; closing the lock races with the reader's release.
 * Closed first, the upgrade fails with {@code LockClosedException} and the upgradable hold is held
 * again; released first, the upgrade is granted (r1 = granted, r2 = failed closed, r3 = the
 * upgradable guard still live, r4 = once everything is released no permit is held).
 */
@JCStressTest
@Outcome(id = "false, true, true, true", expect = ACCEPTABLE, desc = "close first: failed, the upgradable hold kept")
@Outcome(id = "true, false, false, true", expect = ACCEPTABLE, desc = "release first: upgraded before the close")
@Outcome(expect = FORBIDDEN, desc = "both, neither, or the upgradable hold or permits lost")
@State
public class CloseVersusUpgrade {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard upgradable = lock.upgradableReadLock().tryAcquire().orElseThrow();
    private final Guard reader = lock.readLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> upgrade = Stages.future(lock.upgrade(upgradable));

    @Actor
    public void close() {
        lock.close(new IllegalStateException("shutting down"));
    }

    @Actor
    public void release() {
        reader.release();
    }

    @Arbiter
    public void arbiter(ZZZZ_Result r) {
        r.r1 = Stages.granted(upgrade);
        r.r2 = Stages.failedClosed(upgrade);
        r.r3 = !upgradable.isReleased();
        Stages.releaseIfGranted(upgrade);
        upgradable.release();
        r.r4 = !lock.isWriteLocked() && lock.readers() == 0;
    }
}
