package dev.asynclocks.stress.lincheck;

import dev.asynclocks.AsyncLock;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;
import dev.asynclocks.stress.lincheck.SequentialFifoPermits.Kind;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Lincheck operations on an {@link AsyncMutex}; {@link SequentialMutex} is their specification.
 * Each operation acts on the calling thread's own tickets (see {@link Tickets}).
 *
 * {@snippet :
 * new ModelCheckingOptions().sequentialSpecification(SequentialMutex.class).check(MutexOperations.class);
 * }
 *
 * <p>{@code lock()} parks until granted, which a linearizability check cannot express, so it is
 * left to jcstress, the soak and the pinning tests. The monitoring getters are operations too: a
 * snapshot may be stale, but it must be a state the lock was in during the call.
 */
@Param(name = "tid", gen = ThreadIdGen.class)
public class MutexOperations {

    private final AsyncLock lock;
    private final IntSupplier queueLength;
    private final BooleanSupplier isLocked;
    final Tickets tickets = new Tickets();

    public MutexOperations() {
        this(new AsyncMutex());
    }

    private MutexOperations(AsyncMutex mutex) {
        this(mutex, mutex::queueLength, mutex::isLocked);
    }

    /** For deliberately broken locks, which must show that this check can fail. */
    protected MutexOperations(AsyncLock lock, IntSupplier queueLength, BooleanSupplier isLocked) {
        this.lock = lock;
        this.queueLength = queueLength;
        this.isLocked = isLocked;
    }

    @Operation
    public boolean tryAcquire(@Param(name = "tid") int tid) {
        Optional<Guard> guard = lock.tryAcquire();
        guard.ifPresent(g -> tickets.add(tid, Tickets.held(Kind.TRY, 1, g)));
        return guard.isPresent();
    }

    /** {@code acquire()}: granted at once or queued; the thread learns which when it releases. */
    @Operation
    public void acquire(@Param(name = "tid") int tid) {
        tickets.add(tid, Tickets.acquired(1, lock.acquire()));
    }

    /** {@code withLock(action)}: the action's stage stays open until the thread releases. */
    @Operation
    public void withLock(@Param(name = "tid") int tid) {
        tickets.add(tid, Tickets.withLock(1, lock::withLock));
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
    public boolean isLocked() {
        return isLocked.getAsBoolean();
    }

    @Operation
    public int queueLength() {
        return queueLength.getAsInt();
    }

    /** At quiescence the queue holds exactly the tickets not yet granted. */
    @Validate
    public void quiescentStateMatches() {
        long waiting = tickets.all().stream().filter(t -> !t.held() && !t.failed()).count();
        if (queueLength.getAsInt() != waiting) {
            throw new IllegalStateException("queueLength() = " + queueLength.getAsInt()
                    + " but " + waiting + " acquisitions wait");
        }
    }
}
