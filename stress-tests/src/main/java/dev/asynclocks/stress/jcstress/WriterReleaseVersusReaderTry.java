package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZZ_Result;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A writer releases to two queued readers (one batch) while a third reader tries to get in:
 * both queued readers are granted, the last member of the batch included, and the try succeeds
 * only once they are (it never barges ahead of them, and is never refused after the queue
 * emptied). r1 = the try succeeded, r2 = the first queued reader was granted, r3 = the second
 * was, r4 = the lock is free and nobody queues once all are released. Engine v2's "a batch that
 * never wakes its last member" mutant (docs/design/engine-v2.md).
 */
@JCStressTest
@Outcome(id = "true, true, true, true", expect = ACCEPTABLE, desc = "the try came after the batch: three readers share")
@Outcome(id = "false, true, true, true", expect = ACCEPTABLE, desc = "the try came while the writer held (or the batch was being granted): refused, nothing queued")
@Outcome(id = ".*, false, .*, .*", expect = FORBIDDEN, desc = "the first reader of the batch was left queued")
@Outcome(id = ".*, .*, false, .*", expect = FORBIDDEN, desc = "the last reader of the batch was left queued")
@Outcome(expect = FORBIDDEN, desc = "a permit was lost or minted")
@State
public class WriterReleaseVersusReaderTry {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard writer = lock.writeLock().tryAcquire().orElseThrow();
    private final CompletableFuture<Guard> firstReader = Stages.future(lock.readLock().acquire());
    private final CompletableFuture<Guard> secondReader = Stages.future(lock.readLock().acquire());
    private Optional<Guard> tried;

    @Actor
    public void releaseWriter() {
        writer.release();
    }

    @Actor
    public void tryRead(ZZZZ_Result r) {
        tried = lock.readLock().tryAcquire();
        r.r1 = tried.isPresent();
    }

    @Arbiter
    public void arbiter(ZZZZ_Result r) {
        r.r2 = Stages.granted(firstReader);
        r.r3 = Stages.granted(secondReader);
        Stages.release(tried);
        Stages.releaseIfGranted(firstReader);
        Stages.releaseIfGranted(secondReader);
        Optional<Guard> probe = lock.writeLock().tryAcquire();
        r.r4 = probe.isPresent() && lock.queueLength() == 0;
        Stages.release(probe);
    }
}
