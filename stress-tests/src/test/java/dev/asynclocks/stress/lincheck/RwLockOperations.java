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
 * <p>The monitoring getters are operations too: a snapshot may be stale, but it must be a state
 * the lock was in during the call.
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
    public String cancel(@Param(name = "tid") int tid) {
        return tickets.cancelNewestAcquire(tid);
    }

    @Operation
    public boolean downgrade(@Param(name = "tid") int tid) {
        return tickets.downgradeOldest(tid, MAX_READERS, lock::downgrade);
    }

    @Operation
    public boolean isWriteLocked() {
        return lock.isWriteLocked();
    }

    @Operation
    public int readers() {
        return lock.readers();
    }

    /**
     * Not an {@code @Operation} of the random scenarios: one critical section of this lock can
     * withdraw and grant several waiters, and {@code queueLength()} counts them down one by one
     * (documented as a monitoring estimate, like {@code ReentrantLock.getQueueLength()}). The
     * hand-written scenarios that call it check what it does promise (never 0 while a waiter
     * refuses a try), and {@link #quiescentStateMatches()} checks it exactly at rest.
     */
    public int queueLength() {
        return lock.queueLength();
    }

    /** At quiescence the getters agree with the tickets: who waits, how many read. */
    @Validate
    public void quiescentStateMatches() {
        long waiting = tickets.all().stream().filter(t -> !t.held()).count();
        if (lock.queueLength() != waiting) {
            throw new IllegalStateException("queueLength() = " + lock.queueLength() + " but " + waiting + " wait");
        }
        long reading = tickets.all().stream().filter(t -> t.held() && t.permits == 1).count();
        if (lock.readers() != reading) {
            throw new IllegalStateException("readers() = " + lock.readers() + " but " + reading + " read");
        }
    }

    private boolean record(int tid, int permits, Optional<Guard> guard) {
        guard.ifPresent(g -> tickets.add(tid, Tickets.held(Kind.TRY, permits, g)));
        return guard.isPresent();
    }
}
