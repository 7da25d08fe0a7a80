package dev.asynclocks.stress.soak;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The invariant checker of one primitive in the soak: counts the permits its holders have
 * entered with, and records a violation whenever more are out than exist. A mutex is 1 permit; a
 * read-write lock is {@code maxReaders} permits with a write taking all of them, so "a writer is
 * never beside anyone" and "never more than maxReaders readers" are the same check.
 *
 * {@snippet :
 * occupancy.enter(n);    // right after the guard is granted
 * occupancy.exit(n);     // right before the guard is released
 * }
 *
 * <p>Order matters: enter after the grant, exit (and a downgrade's {@link #shrink}) before the
 * permits go back, so the count never runs behind the lock.
 */
final class Occupancy {

    private final String name;
    /** The permits that exist: fixed but for a semaphore whose total changes ({@link #resize}). */
    private volatile int permits;
    private final Queue<String> violations;
    private final AtomicInteger out = new AtomicInteger();
    private final LongAdder grants = new LongAdder();
    private final LongAdder exits = new LongAdder();

    Occupancy(String name, int permits, Queue<String> violations) {
        this.name = name;
        this.permits = permits;
        this.violations = violations;
    }

    /** A holder of {@code n} permits enters its section. */
    void enter(int n) {
        grants.increment();
        int now = out.addAndGet(n);
        if (now > permits) {
            violations.add(name + ": " + now + " permits out of " + permits + " (entering with " + n + ")");
        }
    }

    /** A holder of {@code n} permits leaves its section. */
    void exit(int n) {
        exits.increment();
        int now = out.addAndGet(-n);
        if (now < 0) {
            violations.add(name + ": " + now + " permits out after an exit of " + n);
        }
    }

    /**
     * A holder of {@code from} permits now holds {@code to}, more (an upgrade, right after its
     * grant): checked as an entry is.
     */
    void grow(int from, int to) {
        int now = out.addAndGet(to - from);
        if (now > permits) {
            violations.add(name + ": " + now + " permits out of " + permits + " (growing " + from + " to " + to + ")");
        }
    }

    /**
     * The total changes by {@code delta}: raise it before permits are added, lower it after they
     * were taken out (only free permits are, so the holders inside still fit).
     */
    void resize(int delta) {
        permits += delta; // one thread resizes at a time (the soak's resizing operation is serialized)
    }

    /** A holder of {@code from} permits keeps {@code to} (a downgrade), before the rest go back. */
    void shrink(int from, int to) {
        out.addAndGet(to - from);
    }

    long grants() {
        return grants.sum();
    }

    long exits() {
        return exits.sum();
    }

    int out() {
        return out.get();
    }
}
