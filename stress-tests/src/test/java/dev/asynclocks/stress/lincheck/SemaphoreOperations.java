package dev.asynclocks.stress.lincheck;

import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import dev.asynclocks.stress.lincheck.SequentialFifoPermits.Kind;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;

import java.util.Optional;

/**
 * Lincheck operations on an {@link AsyncSemaphore} of {@value #PERMITS} permits, with requests of
 * 1 to {@value #PERMITS}; {@link SequentialSemaphore} is their specification. A small request
 * behind a large one at the head must wait, even when it would fit. The monitoring getters are
 * operations too.
 *
 * {@snippet :
 * new ModelCheckingOptions().sequentialSpecification(SequentialSemaphore.class).check(SemaphoreOperations.class);
 * }
 */
@Param(name = "tid", gen = ThreadIdGen.class)
@Param(name = "n", gen = IntGen.class, conf = "1:3")
public class SemaphoreOperations {

    static final int PERMITS = 3;

    /** The semaphore under test; subclasses add operations on it. */
    protected final AsyncSemaphore semaphore;
    private final Tickets tickets = new Tickets();

    public SemaphoreOperations() {
        this(PERMITS);
    }

    /** For a subclass: a semaphore that starts with {@code permits}. */
    protected SemaphoreOperations(int permits) {
        semaphore = new AsyncSemaphore(permits);
    }

    @Operation
    public boolean tryAcquire(@Param(name = "tid") int tid, @Param(name = "n") int n) {
        Optional<Guard> guard = semaphore.tryAcquire(n);
        guard.ifPresent(g -> tickets.add(tid, Tickets.held(Kind.TRY, n, g)));
        return guard.isPresent();
    }

    @Operation
    public void acquire(@Param(name = "tid") int tid, @Param(name = "n") int n) {
        tickets.add(tid, Tickets.acquired(n, semaphore.acquire(n)));
    }

    /** {@code withPermits(n, action)}: the action's stage stays open until the thread releases. */
    @Operation
    public void withPermits(@Param(name = "tid") int tid, @Param(name = "n") int n) {
        tickets.add(tid, Tickets.withLock(n, action -> semaphore.withPermits(n, action)));
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
    public int availablePermits() {
        return semaphore.availablePermits();
    }

    /**
     * Not an {@code @Operation} of the random scenarios: one critical section of this lock can
     * withdraw and grant several waiters, and {@code queueLength()} counts them down one by one
     * (documented as a monitoring estimate, like {@code ReentrantLock.getQueueLength()}). The
     * hand-written scenarios that call it check what it does promise (never 0 while a waiter
     * refuses a try), and {@link #quiescentStateMatches()} checks it exactly at rest.
     */
    public int queueLength() {
        return semaphore.queueLength();
    }

    /** At quiescence the queue holds exactly the tickets not yet granted. */
    @Validate
    public void quiescentStateMatches() {
        long waiting = tickets.all().stream().filter(t -> !t.held()).count();
        if (semaphore.queueLength() != waiting) {
            throw new IllegalStateException("queueLength() = " + semaphore.queueLength() + " but " + waiting + " wait");
        }
    }
}
