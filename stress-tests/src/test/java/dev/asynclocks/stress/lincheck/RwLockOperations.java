package dev.asynclocks.stress.lincheck;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import dev.asynclocks.stress.lincheck.SequentialFifoPermits.Kind;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;

import java.util.Optional;

/**
 * Lincheck operations on an {@link AsyncRwLock}; {@link SequentialRwLock} is their
 * specification. Run with {@code -Ddev.asynclocks.maxReaders=2} (the surefire configuration
 * does) so that the reader limit is reachable: a read is one permit, a write all of them.
 *
 * {@snippet :
 * new ModelCheckingOptions().sequentialSpecification(SequentialRwLock.class).check(RwLockOperations.class);
 * }
 *
 * <p>Cancellation is checked as {@code abandon} (cancel, or release if the grant won), not as a
 * cancel that reports who won: see {@link Tickets#abandonNewestAcquire} and
 * docs/verification.md for why a reported winner is not linearizable once grants can be seen
 * through a successful read {@code tryAcquire}.
 */
@Param(name = "tid", gen = ThreadIdGen.class)
public class RwLockOperations {

    /** The write weight, as the lock under test reads it. */
    static final int MAX_READERS = Integer.getInteger("dev.asynclocks.maxReaders", 1 << 30);

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Tickets tickets = new Tickets();

    @Operation
    public boolean tryRead(@Param(name = "tid") int tid) {
        return record(tid, 1, lock.readLock().tryAcquire());
    }

    @Operation
    public boolean tryWrite(@Param(name = "tid") int tid) {
        return record(tid, MAX_READERS, lock.writeLock().tryAcquire());
    }

    @Operation
    public void read(@Param(name = "tid") int tid) {
        tickets.add(tid, Tickets.acquired(1, lock.readLock().acquire()));
    }

    @Operation
    public void write(@Param(name = "tid") int tid) {
        tickets.add(tid, Tickets.acquired(MAX_READERS, lock.writeLock().acquire()));
    }

    @Operation
    public int release(@Param(name = "tid") int tid) {
        return tickets.releaseOldestHeld(tid);
    }

    @Operation
    public void abandon(@Param(name = "tid") int tid) {
        tickets.abandonNewestAcquire(tid);
    }

    @Operation
    public boolean downgrade(@Param(name = "tid") int tid) {
        return tickets.downgradeOldest(tid, MAX_READERS, lock::downgrade);
    }

    /** At quiescence the queue holds exactly the tickets not yet granted. */
    @Validate
    public void quiescentStateMatches() {
        long waiting = tickets.all().stream().filter(t -> !t.held()).count();
        if (lock.queueLength() != waiting) {
            throw new IllegalStateException("queueLength() = " + lock.queueLength() + " but " + waiting + " wait");
        }
    }

    /** The harness bookkeeping, for subclasses that add operations. */
    protected final Tickets tickets() {
        return tickets;
    }

    private boolean record(int tid, int permits, Optional<Guard> guard) {
        guard.ifPresent(g -> tickets.add(tid, Tickets.held(Kind.TRY, permits, g)));
        return guard.isPresent();
    }
}
