package dev.asynclocks.stress.lincheck;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The sequential specification shared by every Lincheck test: a weighted semaphore with a strict
 * FIFO queue, written as plainly as possible. The mutex is 1 permit, the read-write lock
 * {@code maxReaders} permits (a read takes one, a write all), the semaphore itself.
 *
 * <p>Lincheck runs the concurrent operations, then searches for an order of these sequential
 * operations that gives the same results. Because grants follow {@link #queue} strictly, a lock
 * that grants out of order, or lets a {@code tryAcquire} past a waiter, produces results no
 * sequential order can explain.
 *
 * {@snippet :
 * class SequentialMutex extends SequentialFifoPermits {
 *     public SequentialMutex() { super(1); }
 *     public boolean tryAcquire(int tid) { return tryTake(tid, 1, Kind.TRY); }
 * }
 * }
 *
 * <pre>
 * Model
 *
 *   free        permits nobody holds
 *   queue       waiting tickets, oldest first; the head is granted as soon as it fits
 *   slots[tid]  every live ticket of one Lincheck thread, in the order the thread took them
 *               (a ticket is HELD or QUEUED; released and withdrawn tickets are removed); each
 *               ticket has a serial, 1 for the thread's first ticket, so that a release says
 *               which acquisition had been granted
 *
 *   take       granted at once iff the queue is empty and the permits fit, else (for acquire) queued
 *   release    the thread's oldest HELD ticket: its permits return, then grant from the head;
 *              reports the ticket's serial
 *   cancel     the thread's newest ACQUIRE ticket: QUEUED -> withdrawn (grant from the head);
 *              HELD -> stays held, and the cancel reports it lost
 *   downgrade  the thread's oldest HELD ticket holding all permits keeps one, returns the rest
 *   upgrade    the thread's oldest HELD upgradable ticket: an upgrade ticket for the other
 *              permits at the HEAD of the queue; granted, it holds all permits and replaces it
 *   add        n more permits, granted from the head as a release's are (a resizable semaphore)
 *   forget     takes up to n free permits (held back for the head or not) out of circulation
 * </pre>
 *
 * <p>Tickets are per thread (the thread id comes from Lincheck's {@code ThreadIdGen}) so that
 * the concurrent harness needs no shared bookkeeping: each Lincheck thread only releases,
 * cancels or downgrades what it acquired itself.
 */
public abstract class SequentialFifoPermits {

    /** How a ticket was taken; cancel only applies to {@link #ACQUIRE} tickets. */
    public enum Kind { TRY, ACQUIRE, WITH_LOCK }

    /** Cancel outcomes, shared with the concurrent harness. */
    public static final String NONE = "NONE";
    public static final String WITHDRAWN = "WITHDRAWN";
    /** The cancel lost: the ticket was granted first (or failed by a close). */
    public static final String HELD = "HELD";

    private static final class Ticket {
        final Kind kind;
        final int serial;
        int permits;
        boolean held;
        /** Failed by a close: never held, never queued again. */
        boolean failed;
        /** On a held upgradable ticket: an upgrade of it waits (the harness does not release it then). */
        boolean upgrading;
        /** On an upgrade's ticket: the upgradable ticket it upgrades, and that ticket's thread. */
        Ticket from;
        int fromTid;

        Ticket(Kind kind, int serial, int permits, boolean held) {
            this.kind = kind;
            this.serial = serial;
            this.permits = permits;
            this.held = held;
        }
    }

    private final int total;
    private int free;
    private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
    private final List<List<Ticket>> slots = new ArrayList<>();
    private final int[] taken = new int[16];
    private boolean closed;

    protected SequentialFifoPermits(int total) {
        this.total = total;
        this.free = total;
    }

    /** Takes {@code n} permits if nobody waits and they fit; a TRY-like ticket then holds them. */
    protected final boolean tryTake(int tid, int n, Kind kind) {
        if (queue.isEmpty() && free >= n) {
            free -= n;
            slot(tid).add(new Ticket(kind, ++taken[tid], n, true));
            return true;
        }
        return false;
    }

    /** An acquisition that waits if it cannot be granted at once (and fails at once if closed). */
    protected final void take(int tid, int n, Kind kind) {
        if (closed) {
            Ticket ticket = new Ticket(kind, ++taken[tid], n, false);
            ticket.failed = true;
            slot(tid).add(ticket);
        } else if (!tryTake(tid, n, kind)) {
            Ticket ticket = new Ticket(kind, ++taken[tid], n, false);
            slot(tid).add(ticket);
            queue.addLast(ticket);
        }
    }

    /**
     * @return the serial of the released ticket (the thread's first ticket is 1, its second 2,
     *         ...), or 0 if the thread holds none
     */
    protected final int releaseOldestHeld(int tid) {
        List<Ticket> tickets = slot(tid);
        for (int i = 0; i < tickets.size(); i++) {
            Ticket ticket = tickets.get(i);
            if (ticket.held && !ticket.upgrading) {
                tickets.remove(i);
                free += ticket.permits;
                grantFromHead();
                return ticket.serial;
            }
        }
        return 0;
    }

    /** @return {@link #NONE}, {@link #WITHDRAWN} or {@link #HELD} */
    protected final String cancelNewestAcquire(int tid) {
        Ticket ticket = newestAcquire(tid);
        if (ticket == null) {
            return NONE;
        }
        if (ticket.held || ticket.failed) {
            return HELD;
        }
        withdraw(tid, ticket);
        return WITHDRAWN;
    }

    /**
     * Closes: every queued ticket fails, and so does every later acquisition.
     *
     * @return whether this call closed it
     */
    protected final boolean closeQueue() {
        if (closed) {
            return false;
        }
        closed = true;
        for (Ticket ticket; (ticket = queue.pollFirst()) != null; ) {
            ticket.failed = true;
        }
        return true;
    }

    protected final boolean isClosed() {
        return closed;
    }

    /**
     * Upgrades the thread's oldest held ticket of {@code permits} (an upgradable read): an upgrade
     * ticket for the rest of the permits goes to the head of the queue, ahead of everyone, and is
     * granted as soon as they are free; granted, it holds all permits and the upgradable ticket
     * is gone.
     *
     * @return whether the thread held such a ticket (not being upgraded already)
     */
    protected final boolean upgradeOldest(int tid, int permits) {
        for (Ticket ticket : slot(tid)) {
            if (ticket.held && !ticket.upgrading && ticket.permits == permits) {
                ticket.upgrading = true;
                Ticket upgrade = new Ticket(Kind.ACQUIRE, ++taken[tid], total - permits, false);
                upgrade.from = ticket;
                upgrade.fromTid = tid;
                slot(tid).add(upgrade);
                queue.addFirst(upgrade);
                grantFromHead();
                return true;
            }
        }
        return false;
    }

    /** @return whether the thread held a ticket of all permits, which now holds one */
    protected final boolean downgradeOldestExclusive(int tid) {
        for (Ticket ticket : slot(tid)) {
            if (ticket.held && ticket.permits == total) {
                ticket.permits = 1;
                free += total - 1;
                grantFromHead();
                return true;
            }
        }
        return false;
    }

    /** Adds {@code n} permits to the total, granted from the head as a release's are. */
    protected final void addFree(int n) {
        free += n;
        grantFromHead();
    }

    /** @return how many of the free permits (at most {@code n}) were taken out of circulation */
    protected final int forgetFree(int n) {
        int forgotten = Math.min(n, free);
        free -= forgotten;
        return forgotten;
    }

    protected final int freePermits() {
        return free;
    }

    protected final int waiting() {
        return queue.size();
    }

    /** @return the number of held tickets, over all threads, that hold exactly {@code permits} */
    protected final int heldTickets(int permits) {
        int count = 0;
        for (List<Ticket> tickets : slots) {
            for (Ticket ticket : tickets) {
                if (ticket.held && ticket.permits == permits) {
                    count++;
                }
            }
        }
        return count;
    }

    private void withdraw(int tid, Ticket ticket) {
        slot(tid).remove(ticket);
        if (ticket.from != null) {
            ticket.from.upgrading = false; // the upgradable ticket is held again
        }
        boolean wasHead = queue.peekFirst() == ticket;
        queue.remove(ticket);
        if (wasHead) {
            grantFromHead();
        }
    }

    private void grantFromHead() {
        for (Ticket head = queue.peekFirst(); head != null && head.permits <= free; head = queue.peekFirst()) {
            queue.removeFirst();
            free -= head.permits;
            head.held = true;
            if (head.from != null) { // an upgrade: the write hold has the upgradable ticket's permits too
                head.permits = total;
                slot(head.fromTid).remove(head.from);
            }
        }
    }

    private Ticket newestAcquire(int tid) {
        List<Ticket> tickets = slot(tid);
        for (int i = tickets.size() - 1; i >= 0; i--) {
            if (tickets.get(i).kind == Kind.ACQUIRE) {
                return tickets.get(i);
            }
        }
        return null;
    }

    private List<Ticket> slot(int tid) {
        while (slots.size() <= tid) {
            slots.add(new ArrayList<>());
        }
        return slots.get(tid);
    }
}
