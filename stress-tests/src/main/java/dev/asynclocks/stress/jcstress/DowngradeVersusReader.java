package dev.asynclocks.stress.jcstress;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import java.util.Optional;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A writer downgrades while a reader tries to join (nobody waits): before the downgrade the try
 * fails, after it the reader shares the lock with the downgraded one; the write lock is never
 * held beside a reader (r1 = the try succeeded, r2 = isWriteLocked() at the end, r3 = readers()
 * at the end).
 */
@JCStressTest
@Outcome(id = "true, false, 2", expect = ACCEPTABLE, desc = "the reader joined after the downgrade")
@Outcome(id = "false, false, 1", expect = ACCEPTABLE, desc = "the reader tried before the downgrade")
@Outcome(expect = FORBIDDEN, desc = "the write hold survived the downgrade, or the reader count is wrong")
@State
public class DowngradeVersusReader {

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Guard writer = lock.writeLock().tryAcquire().orElseThrow();
    private Guard downgraded;
    private Optional<Guard> reader;

    @Actor
    public void downgrade() {
        downgraded = lock.downgrade(writer);
    }

    @Actor
    public void tryRead(ZZI_Result r) {
        reader = lock.readLock().tryAcquire();
        r.r1 = reader.isPresent();
    }

    @Arbiter
    public void arbiter(ZZI_Result r) {
        r.r2 = lock.isWriteLocked();
        r.r3 = lock.readers();
        Stages.release(reader);
        downgraded.release();
    }
}
