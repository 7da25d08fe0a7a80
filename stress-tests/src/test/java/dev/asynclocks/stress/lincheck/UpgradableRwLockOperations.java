package dev.asynclocks.stress.lincheck;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import dev.asynclocks.stress.lincheck.SequentialFifoPermits.Kind;
import dev.asynclocks.stress.lincheck.Tickets.Ticket;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;

import java.util.Optional;

/**
 * Lincheck operations on an {@link AsyncRwLock} with upgradable reads; {@link SequentialUpgradableRwLock}
 * is their specification. Run with {@code -Ddev.asynclocks.maxReaders=3} (the stress-tests pom's
 * {@code max-readers-3} execution): a read is one permit, an upgradable read two (so one
 * plain reader shares with it), a write three, and an upgrade waits for the one plain reader.
 *
 * {@snippet :
 * new ModelCheckingOptions().sequentialSpecification(SequentialUpgradableRwLock.class).check(UpgradableRwLockOperations.class);
 * }
 */
@Param(name = "tid", gen = ThreadIdGen.class)
public class UpgradableRwLockOperations {

    static final int MAX_READERS = RwLockOperations.MAX_READERS;
    /** An upgradable read's permits: more than half. */
    static final int UPGRADABLE = MAX_READERS / 2 + 1;

    private final AsyncRwLock lock = new AsyncRwLock();
    private final Tickets tickets = new Tickets();

    @Operation
    public boolean tryRead(@Param(name = "tid") int tid) {
        return record(tid, 1, lock.readLock().tryAcquire());
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
    public boolean tryUpgradable(@Param(name = "tid") int tid) {
        return record(tid, UPGRADABLE, lock.upgradableReadLock().tryAcquire());
    }

    @Operation
    public void upgradable(@Param(name = "tid") int tid) {
        tickets.add(tid, Tickets.acquired(UPGRADABLE, lock.upgradableReadLock().acquire()));
    }

    /** Upgrades the thread's oldest held upgradable read, if it has one that is not being upgraded. */
    @Operation
    public boolean upgrade(@Param(name = "tid") int tid) {
        return tickets.upgradeOldest(tid, UPGRADABLE, MAX_READERS, lock::upgrade);
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
    public boolean isWriteLocked() {
        return lock.isWriteLocked();
    }

    /** Not random: counted during a grant one by one (see RwLockOperations.queueLength). */
    public int queueLength() {
        return lock.queueLength();
    }

    /** Not random: the upgradable hold's own count trails its permits for an instant at its end. */
    public int readers() {
        return lock.readers();
    }

    /** At quiescence: who waits, how many read (an upgradable hold counting as one), who writes. */
    @Validate
    public void quiescentStateMatches() {
        long waiting = tickets.all().stream().filter(t -> t.kind == Kind.ACQUIRE && t.upgrade == null
                && !t.future.isDone()).count();
        if (lock.queueLength() != waiting) {
            throw new IllegalStateException("queueLength() = " + lock.queueLength() + " but " + waiting + " wait");
        }
        long reading = tickets.all().stream().filter(t -> isReading(t)).count();
        if (lock.readers() != reading) {
            throw new IllegalStateException("readers() = " + lock.readers() + " but " + reading + " read");
        }
    }

    private static boolean isReading(Ticket ticket) {
        if (ticket.permits == 1) {
            return ticket.held();
        }
        return ticket.permits == UPGRADABLE && (ticket.held() || ticket.upgrade != null && !Tickets.upgraded(ticket));
    }

    private boolean record(int tid, int permits, Optional<Guard> guard) {
        guard.ifPresent(g -> tickets.add(tid, Tickets.held(Kind.TRY, permits, g)));
        return guard.isPresent();
    }
}
