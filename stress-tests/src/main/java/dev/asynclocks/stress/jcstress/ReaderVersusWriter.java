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

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** A read tryAcquire and a write tryAcquire on a free lock: exactly one wins. */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "the reader won, the writer saw a reader")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the writer won, the reader saw a writer")
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "a reader and a writer hold the lock together")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "the free lock refused both")
@State
public class ReaderVersusWriter {

    private final AsyncRwLock lock = new AsyncRwLock();
    private Optional<Guard> read;
    private Optional<Guard> write;

    @Actor
    public void reader(ZZ_Result r) {
        read = lock.readLock().tryAcquire();
        r.r1 = read.isPresent();
    }

    @Actor
    public void writer(ZZ_Result r) {
        write = lock.writeLock().tryAcquire();
        r.r2 = write.isPresent();
    }

    @Arbiter
    public void arbiter(ZZ_Result r) {
        Stages.release(read);
        Stages.release(write);
    }
}
