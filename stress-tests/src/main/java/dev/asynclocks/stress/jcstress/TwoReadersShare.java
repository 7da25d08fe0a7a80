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

/** Two read tryAcquires on a free lock: both win and share it (r3 = readers() after both). */
@JCStressTest
@Outcome(id = "true, true, 2", expect = ACCEPTABLE, desc = "both readers hold the lock together")
@Outcome(expect = FORBIDDEN, desc = "a reader was refused, or the reader count is wrong")
@State
public class TwoReadersShare {

    private final AsyncRwLock lock = new AsyncRwLock();
    private Optional<Guard> first;
    private Optional<Guard> second;

    @Actor
    public void reader1(ZZI_Result r) {
        first = lock.readLock().tryAcquire();
        r.r1 = first.isPresent();
    }

    @Actor
    public void reader2(ZZI_Result r) {
        second = lock.readLock().tryAcquire();
        r.r2 = second.isPresent();
    }

    @Arbiter
    public void arbiter(ZZI_Result r) {
        r.r3 = lock.readers();
        Stages.release(first);
        Stages.release(second);
    }
}
