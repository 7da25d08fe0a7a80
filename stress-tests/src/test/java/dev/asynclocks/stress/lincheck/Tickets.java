package dev.asynclocks.stress.lincheck;

import dev.asynclocks.Guard;
import dev.asynclocks.stress.lincheck.SequentialFifoPermits.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The concurrent side of the Lincheck harness: every acquisition a Lincheck thread made, kept in
 * that thread's slot, and the gate that makes a thread's look at its own tickets atomic.
 *
 * {@snippet :
 * Tickets tickets = new Tickets();
 * tickets.add(tid, Tickets.acquired(1, mutex.acquire()));
 * int released = tickets.releaseOldestHeld(tid);
 * }
 *
 * <pre>
 * Implementation overview
 *
 *   slots[tid]   the tickets of Lincheck thread tid (ThreadIdGen: 0 = init part, 1..t = the
 *                parallel threads, t+1 = post part), in the order taken. Touched only by
 *                thread tid, so plain lists suffice.
 *
 *   gate         a read-write lock of the harness, never of the code under test:
 *                  shared     around every call that can grant someone else's acquisition
 *                             (release, cancel, downgrade, completing a withLock body)
 *                  exclusive  around a thread's look at its own tickets ("which is held?")
 * </pre>
 *
 * <p>Why the gate: a release grants the head under the engine's lock, then completes the head's
 * future a moment later, still inside {@code release()}. The sequential model grants atomically.
 * Without the gate, a thread could look at its future in that moment and see "not yet", while a
 * third thread had already seen the grant through the lock's state (a successful read
 * {@code tryAcquire}); no sequential order explains both. That is delivery latency, which the
 * contract allows, not a fairness bug, so the harness looks only when no hand-off is in flight.
 * The calls under test still race freely with each other: the shared side excludes nothing.
 */
final class Tickets {

    /** Ticket slots: init part, up to six parallel threads, post part. */
    private static final int SLOTS = 8;

    /** One acquisition, as the harness sees it. Owned by one Lincheck thread. */
    static final class Ticket {
        final Kind kind;
        /** 1 for the owning thread's first ticket, 2 for its second, ...; set by {@link #add}. */
        int serial;
        int permits;
        /** TRY tickets and downgraded tickets: the guard held. */
        Guard guard;
        /** ACQUIRE tickets: the stage returned by acquire(). */
        CompletableFuture<Guard> future;
        /** WITH_LOCK tickets: the body the harness completes to leave the section. */
        CompletableFuture<Void> body;
        /** WITH_LOCK tickets: set by whichever thread runs the action (the granting thread). */
        volatile boolean started;

        private Ticket(Kind kind, int permits) {
            this.kind = kind;
            this.permits = permits;
        }

        /** WITH_LOCK tickets: the stage withLock returned (it fails if the lock is closed). */
        CompletionStage<?> result;

        /** Whether the acquisition failed without a grant (the lock was closed). */
        boolean failed() {
            return switch (kind) {
                case TRY -> false;
                case ACQUIRE -> future.isCompletedExceptionally() && !future.isCancelled();
                case WITH_LOCK -> !started && result.toCompletableFuture().isCompletedExceptionally();
            };
        }

        /**
         * On an upgradable ticket: its upgrade's ticket, while the upgrade waits and after it was
         * granted (then this ticket is gone: its permits are the upgrade's); null otherwise.
         */
        Ticket upgrade;
        /** On an upgrade's ticket: the upgradable ticket it upgrades. */
        Ticket from;

        /**
         * Whether the acquisition has been granted and is the harness's to end (read under the
         * gate's exclusive side). An upgradable ticket being upgraded, or upgraded, is not.
         */
        boolean held() {
            if (upgrade != null) {
                return false;
            }
            return switch (kind) {
                case TRY -> true;
                case ACQUIRE -> guard != null || (future.isDone() && !future.isCompletedExceptionally());
                case WITH_LOCK -> started;
            };
        }

        /** Ends the hold; the ticket must be held. */
        void release() {
            if (kind == Kind.WITH_LOCK) {
                body.complete(null); // withLock releases when the body's stage completes
            } else {
                currentGuard().release();
            }
        }

        /** The guard now held: the downgraded one if any, else the one the future carries. */
        Guard currentGuard() {
            return guard != null ? guard : future.join();
        }
    }

    static Ticket held(Kind kind, int permits, Guard guard) {
        Ticket ticket = new Ticket(kind, permits);
        ticket.guard = guard;
        return ticket;
    }

    static Ticket acquired(int permits, CompletionStage<Guard> stage) {
        Ticket ticket = new Ticket(Kind.ACQUIRE, permits);
        ticket.future = stage.toCompletableFuture();
        return ticket;
    }

    /**
     * Starts a withLock-style acquisition: {@code start} is given the action to pass to
     * {@code withLock}; the action marks the ticket started and returns its body.
     */
    static Ticket withLock(int permits, java.util.function.Function<Supplier<CompletionStage<Void>>, ?> start) {
        Ticket ticket = new Ticket(Kind.WITH_LOCK, permits);
        ticket.body = new CompletableFuture<>();
        ticket.result = (CompletionStage<?>) start.apply(() -> {
            ticket.started = true;
            return ticket.body;
        });
        return ticket;
    }

    private final List<List<Ticket>> slots = new ArrayList<>(SLOTS);
    private final int[] taken = new int[SLOTS];
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();

    Tickets() {
        for (int i = 0; i < SLOTS; i++) {
            slots.add(new ArrayList<>());
        }
    }

    void add(int tid, Ticket ticket) {
        ticket.serial = ++taken[tid];
        slots.get(tid).add(ticket);
    }

    /** Releases the thread's oldest held ticket; returns its serial, or 0 if none is held. */
    int releaseOldestHeld(int tid) {
        Ticket ticket = oldestHeld(tid, t -> true);
        if (ticket == null) {
            return 0;
        }
        slots.get(tid).remove(ticket);
        handOff(ticket::release);
        return ticket.serial;
    }

    /**
     * Cancels the stage of the thread's newest ACQUIRE ticket.
     *
     * @return {@link SequentialFifoPermits#NONE}, {@code WITHDRAWN} if the cancel won, {@code HELD}
     *         if the grant had won (the ticket stays held)
     */
    String cancelNewestAcquire(int tid) {
        Ticket ticket = newestAcquire(tid);
        if (ticket == null) {
            return SequentialFifoPermits.NONE;
        }
        boolean[] cancelled = new boolean[1];
        handOff(() -> cancelled[0] = ticket.future.cancel(false));
        if (cancelled[0]) {
            slots.get(tid).remove(ticket);
            if (ticket.from != null) {
                ticket.from.upgrade = null; // a withdrawn upgrade: the upgradable ticket is held again
            }
            return SequentialFifoPermits.WITHDRAWN;
        }
        return SequentialFifoPermits.HELD;
    }

    /**
     * Downgrades the thread's oldest held ticket of {@code exclusivePermits} with
     * {@code downgrade}; the ticket then holds one permit.
     *
     * @return whether there was such a ticket
     */
    boolean downgradeOldest(int tid, int exclusivePermits, java.util.function.UnaryOperator<Guard> downgrade) {
        Ticket ticket = oldestHeld(tid, t -> t.permits == exclusivePermits);
        if (ticket == null) {
            return false;
        }
        Guard[] downgraded = new Guard[1];
        handOff(() -> downgraded[0] = downgrade.apply(ticket.currentGuard()));
        ticket.guard = downgraded[0];
        ticket.permits = 1;
        return true;
    }

    /**
     * Upgrades the thread's oldest held ticket of {@code permits} with {@code upgrade}: a new
     * ACQUIRE ticket of {@code writePermits} for the upgrade's stage, linked to it.
     *
     * @return whether there was such a ticket
     */
    boolean upgradeOldest(int tid, int permits, int writePermits,
                          java.util.function.Function<Guard, CompletionStage<Guard>> upgrade) {
        Ticket ticket = oldestHeld(tid, t -> t.permits == permits);
        if (ticket == null) {
            return false;
        }
        @SuppressWarnings("unchecked")
        CompletionStage<Guard>[] stage = new CompletionStage[1];
        handOff(() -> stage[0] = upgrade.apply(ticket.currentGuard()));
        Ticket upgrading = acquired(writePermits, stage[0]);
        upgrading.from = ticket;
        ticket.upgrade = upgrading;
        add(tid, upgrading);
        return true;
    }

    /** @return whether the ticket is an upgradable one whose upgrade was granted (its permits moved on) */
    static boolean upgraded(Ticket ticket) {
        return ticket.upgrade != null && ticket.upgrade.future.isDone() && !ticket.upgrade.future.isCompletedExceptionally();
    }

    /**
     * Closes the lock with {@code close}, as a hand-off (the close fails the queued stages before it
     * returns, so no thread inspects them half done).
     */
    boolean close(java.util.function.BooleanSupplier close) {
        boolean[] closed = new boolean[1];
        handOff(() -> closed[0] = close.getAsBoolean());
        return closed[0];
    }

    /** All tickets of all slots, for the quiescent checks of {@code @Validate}. */
    List<Ticket> all() {
        List<Ticket> all = new ArrayList<>();
        slots.forEach(all::addAll);
        return all;
    }

    private Ticket oldestHeld(int tid, Predicate<Ticket> filter) {
        gate.writeLock().lock();
        try {
            for (Ticket ticket : slots.get(tid)) {
                if (ticket.held() && filter.test(ticket)) {
                    return ticket;
                }
            }
            return null;
        } finally {
            gate.writeLock().unlock();
        }
    }

    private Ticket newestAcquire(int tid) {
        List<Ticket> tickets = slots.get(tid);
        for (int i = tickets.size() - 1; i >= 0; i--) {
            if (tickets.get(i).kind == Kind.ACQUIRE && !upgraded(tickets.get(i))) {
                return tickets.get(i);
            }
        }
        return null;
    }

    private void handOff(Runnable call) {
        gate.readLock().lock();
        try {
            call.run();
        } finally {
            gate.readLock().unlock();
        }
    }
}
