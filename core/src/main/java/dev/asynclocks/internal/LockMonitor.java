package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import dev.asynclocks.LockStats;

import java.lang.System.Logger.Level;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything a lock reports about itself, beside the algorithm: the always-on counters behind
 * {@link LockStats}, the JFR events ({@link ContendedAcquisitionEvent}, {@link LongHoldEvent}), and
 * leaked-guard detection. The engine calls it through a handful of narrow hooks.
 *
 * <pre>
 * Implementation overview
 *
 *   Counters: every grant is counted in the engine's state word (the CAS or write that
 *   takes the permits adds one to a 31-bit count, which is also the generation of the hold; wraps are counted here in countWraps). Everything
 *   else happens on the contended path under the engine's queueLock, so the counters are plain
 *   fields written under that lock; stats() reads them under it too.
 *
 *   JFR: both events are checked with isEnabled() on a shared probe instance (a static read when
 *   JFR is off) before anything is allocated.
 *
 *   Leaks (as Netty's ResourceLeakDetector): a watched guard gets a HoldRecord, a phantom
 *   reference kept strongly reachable in liveRecords until the guard is released. A record that
 *   the GC enqueues belonged to a guard that died unreleased; the queue is polled (no thread) each
 *   time a new hold is watched and on stats(), and each such record is reported once through
 *   System.Logger "dev.asynclocks". Mode from -Ddev.asynclocks.leakDetection=off|sample|all
 *   (default sample: one hold in 1024); -Ddev.asynclocks.leakDetection.stackTraces=true records
 *   where each watched hold was acquired.
 * </pre>
 */
final class LockMonitor {

    private static final System.Logger LOG = System.getLogger("dev.asynclocks");
    private static final ContendedAcquisitionEvent CONTENDED_PROBE = new ContendedAcquisitionEvent();
    private static final LongHoldEvent LONG_HOLD_PROBE = new LongHoldEvent();

    /**
     * One hold in this many is watched for leaks in sample mode; a power of two. A watched hold
     * costs a phantom reference and a set insertion (a few hundred nanoseconds): at 1 in 1024 that
     * is well under a nanosecond per acquisition, and a leak that recurs is still found soon.
     */
    static final int LEAK_SAMPLE_INTERVAL = 1024;

    enum LeakMode { OFF, SAMPLE, ALL }

    // ---- configuration, final -----------------------------------------------------------------

    private final String lockType;
    private final String lockName;
    private final int maxWaiters;
    private final long contentionThresholdNanos;
    private final long longHoldThresholdNanos;
    private final LeakMode leakMode;
    private final boolean leakStackTraces;
    private final ReferenceQueue<Guard> leakQueue;
    private final Set<HoldRecord> liveRecords;

    // ---- counters, written and read under the engine's queueLock ------------------------------

    private long contendedAcquisitions;
    private long cancellations;
    private long timeouts;
    private long rejections;
    private int peakQueueLength;
    private long totalWaitNanos;
    private long maxWaitNanos;

    /** Times the state word's 31-bit acquisition count wrapped. Written under queueLock or by CAS winners; volatile. */
    private volatile long countWraps;

    LockMonitor(String lockType, LockOptions options) {
        this.lockType = lockType;
        this.lockName = options.name() != null ? options.name() : "unnamed";
        this.maxWaiters = options.maxWaiters();
        this.contentionThresholdNanos = millisProperty("dev.asynclocks.jfr.contentionThresholdMillis", 20);
        this.longHoldThresholdNanos = millisProperty("dev.asynclocks.jfr.longHoldThresholdMillis", 100);
        this.leakMode = leakModeProperty();
        this.leakStackTraces = Boolean.getBoolean("dev.asynclocks.leakDetection.stackTraces");
        this.leakQueue = leakMode == LeakMode.OFF ? null : new ReferenceQueue<>();
        this.liveRecords = leakMode == LeakMode.OFF ? null : ConcurrentHashMap.newKeySet();
    }

    String lockName() {
        return lockName;
    }

    String lockType() {
        return lockType;
    }

    // ---- hooks for the engine: queue (under queueLock) ----------------------------------------

    /**
     * Before a node would be appended to a queue of {@code queueLength}.
     *
     * @return {@code true} if the queue is full and the acquisition must be rejected (counted)
     */
    boolean rejectsLocked(int queueLength) {
        if (queueLength >= maxWaiters) {
            rejections++;
            return true;
        }
        return false;
    }

    /** A node was appended; the queue is now {@code queueLength} long. */
    void onEnqueuedLocked(Waiter node, int queueLength) {
        node.enqueuedAt = System.nanoTime();
        if (queueLength > peakQueueLength) {
            peakQueueLength = queueLength;
        }
    }

    /** A queued node was granted at {@code now}. */
    void onGrantedLocked(Waiter node, long now) {
        long waited = now - node.enqueuedAt;
        contendedAcquisitions++;
        totalWaitNanos += waited;
        if (waited > maxWaitNanos) {
            maxWaitNanos = waited;
        }
    }

    /** A queued node was withdrawn. */
    void onWithdrawnLocked(Withdrawal reason) {
        if (reason == Withdrawal.TIMEOUT) {
            timeouts++;
        } else {
            cancellations++;
        }
    }

    void onCountWrapped() {
        countWraps++; // only the CAS winner that wrapped the count gets here; wraps are 2^31 apart
    }

    // ---- hooks outside the lock -----------------------------------------------------------------

    /** After a queued node was granted and woken: the contended-acquisition event, if due. */
    void afterGrant(Waiter node, int queueLength) {
        if (CONTENDED_PROBE.isEnabled()) {
            long waited = System.nanoTime() - node.enqueuedAt;
            if (waited >= contentionThresholdNanos) {
                ContendedAcquisitionEvent event = new ContendedAcquisitionEvent();
                event.lockName = lockName;
                event.lockType = lockType;
                event.permits = node.permits();
                event.waitTime = waited;
                event.queueLength = queueLength;
                event.commit();
            }
        }
    }

    /**
     * Decides whether a new hold is watched, and if so makes its record.
     *
     * @param ticket a number that advances with every acquisition (for sampling)
     * @return the record, or {@code null} (the common case: nothing watched)
     */
    HoldRecord watch(Guard guard, int permits, int ticket) {
        if (!wantsToWatch(ticket)) {
            return null;
        }
        boolean longHold = LONG_HOLD_PROBE.isEnabled();
        boolean leak = watchesForLeak(ticket);
        long grantedAt = longHold ? System.nanoTime() : 0L;
        if (!leak) {
            return new HoldRecord(guard, null, this, permits, grantedAt, null);
        }
        reportLeaks();
        Throwable acquiredAt = leakStackTraces ? new Throwable("guard acquired here") : null;
        HoldRecord record = new HoldRecord(guard, leakQueue, this, permits, grantedAt, acquiredAt);
        liveRecords.add(record);
        return record;
    }

    /**
     * Whether a new hold with this ticket would be watched (then it needs a guard that can carry a
     * {@link HoldRecord}). Cheap: a static read and two branches when JFR and leaks are off.
     */
    boolean wantsToWatch(int ticket) {
        return watchesForLeak(ticket) || LONG_HOLD_PROBE.isEnabled();
    }

    private boolean watchesForLeak(int ticket) {
        return leakMode == LeakMode.ALL
                || (leakMode == LeakMode.SAMPLE && (ticket & (LEAK_SAMPLE_INTERVAL - 1)) == 0);
    }

    /** A watched hold was released. */
    void onReleased(HoldRecord record) {
        if (liveRecords != null && liveRecords.remove(record)) {
            record.clear();
        }
        if (record.grantedAt != 0L && LONG_HOLD_PROBE.isEnabled()) {
            long held = System.nanoTime() - record.grantedAt;
            if (held >= longHoldThresholdNanos) {
                LongHoldEvent event = new LongHoldEvent();
                event.lockName = lockName;
                event.lockType = lockType;
                event.permits = record.permits;
                event.holdTime = held;
                event.commit();
            }
        }
    }

    /** Reports, once each, the watched guards that the GC found unreleased. */
    void reportLeaks() {
        if (leakQueue == null) {
            return;
        }
        for (Reference<? extends Guard> dead = leakQueue.poll(); dead != null; dead = leakQueue.poll()) {
            HoldRecord record = (HoldRecord) dead;
            if (liveRecords.remove(record)) {
                String message = "LEAK: a guard of " + lockType + " '" + lockName + "' (" + record.permits
                        + (record.permits == 1 ? " permit" : " permits")
                        + ") became unreachable without release(); the lock stays held by it forever."
                        + (record.acquiredAt == null
                        ? " Run with -Ddev.asynclocks.leakDetection.stackTraces=true to see where it was acquired."
                        : " It was acquired at:");
                if (record.acquiredAt == null) {
                    LOG.log(Level.WARNING, message);
                } else {
                    LOG.log(Level.WARNING, message, record.acquiredAt);
                }
            }
        }
    }

    /** Under queueLock. */
    LockStats snapshotLocked(long grantCount, int queueLength) {
        long acquisitions = (countWraps << 31) + grantCount;
        return new LockStats(acquisitions, contendedAcquisitions, cancellations,
                timeouts, rejections, queueLength, peakQueueLength, Duration.ofNanos(totalWaitNanos),
                Duration.ofNanos(maxWaitNanos));
    }

    int maxWaiters() {
        return maxWaiters;
    }

    private static long millisProperty(String key, long defaultMillis) {
        long millis = Long.getLong(key, defaultMillis);
        if (millis < 0) {
            throw new IllegalStateException(key + " must not be negative, is " + millis);
        }
        return millis * 1_000_000L;
    }

    private static LeakMode leakModeProperty() {
        String value = System.getProperty("dev.asynclocks.leakDetection", "sample");
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "off", "false", "disabled" -> LeakMode.OFF;
            case "sample", "simple" -> LeakMode.SAMPLE;
            case "all", "paranoid" -> LeakMode.ALL;
            default -> throw new IllegalStateException(
                    "dev.asynclocks.leakDetection must be off, sample or all, is '" + value + "'");
        };
    }
}
