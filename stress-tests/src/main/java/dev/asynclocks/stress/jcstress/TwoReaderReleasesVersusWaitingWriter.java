package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two readers release at the same moment while a writer waits: whichever release returns the
 * last permit must grant the writer; neither may assume the other will (r1 = the writer was
 * granted, r2 = the lock is free and nobody queues once it is released). Engine v2's "kick
 * versus owner exit" race (docs/design/engine-v2.md).
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the second release to land granted the writer")
@Outcome(id = "false, .*", expect = FORBIDDEN, desc = "the writer was left waiting with every permit free")
@Outcome(expect = FORBIDDEN, desc = "a permit was lost or minted")
@State
public class TwoReaderReleasesVersusWaitingWriter {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard first = lock.readLock().tryAcquire().orElseThrow();
    private final Guard second = lock.readLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> writer = Stages.future(lock.writeLock().acquire());

    @Actor
    public void releaseFirst() {
        first.release();
    }

    @Actor
    public void releaseSecond() {
        second.release();
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        r.r1 = Stages.granted(writer) && lock.isWriteLocked();
        Stages.releaseIfGranted(writer);
        Optional<Guard> probe = lock.writeLock().tryAcquire();
        r.r2 = probe.isPresent() && lock.queueLength() == 0;
        Stages.release(probe);
    }
}
