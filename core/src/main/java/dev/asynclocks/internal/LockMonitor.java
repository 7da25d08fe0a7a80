package dev.asynclocks.internal;

import dev.asynclocks.Guard;
import dev.asynclocks.LockObserver;
import dev.asynclocks.LockStats;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything a lock reports about itself, beside the algorithm: the always-on counters behind
 * {@link LockStats}, the JFR events ({@link ContendedAcquisitionEvent}, {@link LongHoldEvent}),
 * leaked-guard detection, and the bound {@link LockObserver}. The engine calls it through a
 * handful of narrow hooks.
 *
 * <p>Public only for {@link #bind} and {@link #unbind}, which the public locks call with their
 * engine; everything else is package-private.
 *
 * <pre>
 * Implementation overview
 *
 *   Counters: every grant is counted in the engine's state word (the CAS or write that
 *   takes the permits adds one to a 31-bit count, which is also the generation of the hold;
 *   wraps are counted here in countWraps). Everything else happens on the contended path under
 *   the engine's queueLock, so the counters are plain fields written under that lock; stats()
 *   reads them under it too.
 *
 *   Wait times are sampled: a clock read costs about as much as the rest of a hand-off, so only
 *   one enqueue in WAIT_SAMPLE_INTERVAL (16; the first one always) is stamped with nanoTime, and
 *   the engine reads the clock at a grant only if the batch has a stamped node. totalWaitTime is
 *   the sampled mean times the contended count (exact while every wait is sampled), maxWaitTime
 *   the longest sampled wait. While an observer is bound or the JFR contended-acquisition event
 *   is enabled, every enqueue is stamped, so they see every wait (and the stats are exact).
 *
 *   JFR: both events are checked with isEnabled() on a shared probe instance (a static read when
 *   JFR is off) before anything is allocated.
 *
 *   Leaks (as Netty's ResourceLeakDetector): a watched guard gets a HoldRecord, a phantom
 *   reference kept strongly reachable in liveRecords until the guard is released. A record that
 *   the GC enqueues belonged to a guard that died unreleased; the queue is polled (no thread) each
 *   time a watched hold is released and on stats() - never inside an acquisition, where a logging
 *   handler that takes a monitor would run in the caller's acquire - and each such record is
 *   reported once through
 *   System.Logger "dev.asynclocks". Mode from -Ddev.asynclocks.leakDetection=off|sample|all
 *   (default sample: one hold in 1024); -Ddev.asynclocks.leakDetection.stackTraces=true records
 *   where each watched hold was acquired.
 *
 *   Observer (LockObserver, for metrics): one slot, `binding`, null or an immutable
 *   (observer, holdSampleEvery) pair, set and cleared by CAS (bind, unbind, and the removal of
 *   an observer that threw), read with getOpaque. It rides on the hooks the engine calls anyway,
 *   and needs nothing else from the engine:
 *
 *     engine hook                   what the observer gets
 *     onEnqueuedLocked (always)     nothing, but it has every enqueue stamped while bound
 *     afterGrant (outside the lock) waited(now - enqueue stamp), just before the node is woken
 *     wantsToWatch / watch          a sampled hold (ticket % holdSampleEvery == 0) gets a
 *                                   HoldRecord with grantedAt and observed = true
 *     HoldRecord.released           held(now - grantedAt), on the releasing thread
 *
 *   So a new engine keeps the observer working as long as it (1) calls onEnqueuedLocked and
 *   stamps the node when it answers true, and afterGrant outside its lock before waking a
 *   granted node, and (2) creates every hold
 *   through watch() (asking wantsToWatch() first if it wants a lean guard) and calls
 *   HoldRecord.released() when a watched hold ends. With nothing bound the slot read is all it
 *   costs: no clock read, no allocation. An observer's throwable is caught where it is called;
 *   the observer is unbound (CAS from its own binding, so a newer binding is left alone) and
 *   the failure logged once; the engine never sees it.
 * </pre>
 */
public final class LockMonitor {

    private static final System.Logger LOG = System.getLogger("dev.asynclocks");
    private static final ContendedAcquisitionEvent CONTENDED_PROBE = new ContendedAcquisitionEvent();
    private static final LongHoldEvent LONG_HOLD_PROBE = new LongHoldEvent();

    /**
     * One hold in this many is watched for leaks in sample mode; a power of two. A watched hold
     * costs a phantom reference and a set insertion (a few hundred nanoseconds): at 1 in 1024 that
     * is well under a nanosecond per acquisition, and a leak that recurs is still found soon.
     */
    static final int LEAK_SAMPLE_INTERVAL = 1024;

    /**
     * One queue wait in this many is timed for the stats; a power of two (property
     * {@code dev.asynclocks.waitSample}, for tests). See the overview.
     */
    static final int WAIT_SAMPLE_INTERVAL = powerOfTwoProperty("dev.asynclocks.waitSample", 16);

    /** {@link #onGrantedLocked}'s argument for a wait that was not timed. */
    static final long NOT_SAMPLED = Long.MIN_VALUE;

    private static final VarHandle BINDING;

    static {
        try {
            BINDING = MethodHandles.lookup().findVarHandle(LockMonitor.class, "binding", Binding.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    enum LeakMode { OFF, SAMPLE, ALL }

    // ---- configuration, final -----------------------------------------------------------------

    private final String lockType;
    private final String lockName;
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
    private int enqueues;
    private long sampledWaits;
    private long sampledWaitNanos;
    private long maxWaitNanos;

    /** Times the state word's 31-bit acquisition count wrapped. Written under queueLock or by CAS winners; volatile. */
    private volatile long countWraps;

    // ---- the observer ---------------------------------------------------------------------------

    /** The bound observer, or {@code null}. Written by CAS (bind, unbind, failure); read opaque. */
    @SuppressWarnings("unused") // through BINDING
    private volatile Binding binding;

    /** An observer and its hold sampling; immutable, so an opaque read sees it whole. */
    private record Binding(LockObserver observer, int holdSampleEvery) {
        boolean samples(int ticket) {
            return holdSampleEvery == 1 || Integer.remainderUnsigned(ticket, holdSampleEvery) == 0;
        }
    }

    LockMonitor(String lockType, LockOptions options) {
        this.lockType = lockType;
        this.lockName = options.name() != null ? options.name() : "unnamed";
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

    /** The engine refused an acquisition because its queue was full ({@code maxWaiters}). */
    void onRejectedLocked() {
        rejections++;
    }

    /**
     * A node was appended; the queue is now {@code queueLength} long.
     *
     * @return whether this wait is to be timed: then the engine stamps the node with the clock
     */
    boolean onEnqueuedLocked(int queueLength) {
        if (queueLength > peakQueueLength) {
            peakQueueLength = queueLength;
        }
        return (enqueues++ & (WAIT_SAMPLE_INTERVAL - 1)) == 0 || bound() != null || CONTENDED_PROBE.isEnabled();
    }

    /** A queued node was granted after waiting {@code waited} nanoseconds, or {@link #NOT_SAMPLED}. */
    void onGrantedLocked(long waited) {
        contendedAcquisitions++;
        if (waited == NOT_SAMPLED) {
            return;
        }
        sampledWaits++;
        sampledWaitNanos += waited;
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

    /**
     * After a queued node was granted and woken: the contended-acquisition event, if due, and the
     * observer's wait sample.
     */
    void afterGrant(Acquisition node, int queueLength) {
        Binding bound = bound();
        boolean jfr = CONTENDED_PROBE.isEnabled();
        if (bound == null && !jfr) {
            return;
        }
        Long enqueuedAt = node.enqueueStamp();
        if (enqueuedAt == null) {
            return; // queued before the observer was bound or JFR enabled: its wait was not timed
        } // (the engine calls this only for stamped nodes; the check keeps it safe on its own)
        long waited = System.nanoTime() - enqueuedAt;
        if (bound != null) {
            report(bound, false, waited);
        }
        if (jfr && waited >= contentionThresholdNanos) {
            ContendedAcquisitionEvent event = new ContendedAcquisitionEvent();
            event.lockName = lockName;
            event.lockType = lockType;
            event.permits = node.permits();
            event.waitTime = waited;
            event.queueLength = queueLength;
            event.commit();
        }
    }

    /**
     * Decides whether a new hold is watched, and if so makes its record.
     *
     * @param ticket a number that advances with every acquisition (for sampling)
     * @return the record, or {@code null} (the common case: nothing watched)
     */
    HoldRecord watch(Guard guard, int permits, int ticket) {
        boolean longHold = LONG_HOLD_PROBE.isEnabled();
        boolean observed = observesHold(ticket);
        boolean leak = watchesForLeak(ticket);
        if (!longHold && !observed && !leak) {
            return null;
        }
        long grantedAt = longHold || observed ? System.nanoTime() : 0L;
        if (!leak) {
            return new HoldRecord(guard, null, this, permits, grantedAt, observed, null);
        }
        Throwable acquiredAt = leakStackTraces ? new Throwable("guard acquired here") : null;
        HoldRecord record = new HoldRecord(guard, leakQueue, this, permits, grantedAt, observed, acquiredAt);
        liveRecords.add(record);
        return record;
    }

    /**
     * Whether a new hold with this ticket would be watched (then it needs a guard that can carry a
     * {@link HoldRecord}). Cheap: a static read, a field read and three branches when JFR and leaks
     * are off and no observer is bound.
     */
    boolean wantsToWatch(int ticket) {
        return watchesForLeak(ticket) || LONG_HOLD_PROBE.isEnabled() || observesHold(ticket);
    }

    /** Whether the bound observer, if any, samples the hold with this ticket. */
    private boolean observesHold(int ticket) {
        Binding bound = bound();
        return bound != null && bound.samples(ticket);
    }

    private boolean watchesForLeak(int ticket) {
        return leakMode == LeakMode.ALL
                || (leakMode == LeakMode.SAMPLE && (ticket & (LEAK_SAMPLE_INTERVAL - 1)) == 0);
    }

    /** A watched hold was released. */
    void onReleased(HoldRecord record) {
        if (liveRecords != null && liveRecords.remove(record)) {
            record.clear();
            reportLeaks(); // a release, not an acquisition: the one place besides stats() that logs
        }
        boolean jfr = LONG_HOLD_PROBE.isEnabled();
        if (record.grantedAt != 0L && (jfr || record.observed)) {
            long held = System.nanoTime() - record.grantedAt;
            Binding bound = record.observed ? bound() : null;
            if (bound != null) {
                report(bound, true, held);
            }
            if (jfr && held >= longHoldThresholdNanos) {
                LongHoldEvent event = new LongHoldEvent();
                event.lockName = lockName;
                event.lockType = lockType;
                event.permits = record.permits;
                event.holdTime = held;
                event.commit();
            }
        }
    }

    // ---- binding an observer ---------------------------------------------------------------------

    /**
     * Binds {@code observer} to the lock of {@code engine}; see {@link LockObserver}.
     *
     * @param engine          the lock's engine
     * @param observer        the observer, not null
     * @param holdSampleEvery 1 to time every hold, N to time one in N
     * @throws IllegalArgumentException if {@code holdSampleEvery} is less than 1
     * @throws IllegalStateException    if an observer is already bound to that lock
     */
    public static void bind(HandOffSemaphore engine, LockObserver observer, int holdSampleEvery) {
        Objects.requireNonNull(observer, "observer");
        if (holdSampleEvery < 1) {
            throw new IllegalArgumentException("holdSampleEvery must be at least 1, is " + holdSampleEvery);
        }
        LockMonitor monitor = engine.monitor();
        if (!BINDING.compareAndSet(monitor, null, new Binding(observer, holdSampleEvery))) {
            throw new IllegalStateException(engine.describe()
                    + " already has an observer bound; unbind it first, or combine both into one");
        }
    }

    /**
     * Unbinds {@code observer} from the lock of {@code engine}, if it is the one bound.
     *
     * @return {@code true} if it was bound and now is not
     */
    public static boolean unbind(HandOffSemaphore engine, LockObserver observer) {
        LockMonitor monitor = engine.monitor();
        Binding bound = monitor.bound();
        return bound != null && bound.observer() == observer && BINDING.compareAndSet(monitor, bound, null);
    }

    /** @return the bound observer, or {@code null}: one plain load on the paths that ask */
    private Binding bound() {
        return (Binding) BINDING.getOpaque(this);
    }

    /**
     * Gives the bound observer a sample; if it throws, unbinds it (unless already replaced) and
     * says so, once. Never throws: the engine never sees an observer's failure.
     */
    private void report(Binding bound, boolean hold, long nanos) {
        try {
            if (hold) {
                bound.observer().held(nanos);
            } else {
                bound.observer().waited(nanos);
            }
        } catch (Throwable failure) {
            observerFailed(bound, failure);
        }
    }

    private void observerFailed(Binding bound, Throwable failure) {
        if (BINDING.compareAndSet(this, bound, null)) {
            LOG.log(Level.WARNING, "an observer of " + lockType + " '" + lockName + "' threw; it is unbound"
                    + " from the lock, which carries on: " + bound.observer(), failure);
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
                timeouts, rejections, queueLength, peakQueueLength, Duration.ofNanos(estimatedTotalWaitNanos()),
                Duration.ofNanos(maxWaitNanos));
    }

    /** The sampled mean wait times the contended count: exact while every wait was sampled. */
    private long estimatedTotalWaitNanos() {
        if (sampledWaits == 0) {
            return 0L;
        }
        if (sampledWaits == contendedAcquisitions) {
            return sampledWaitNanos;
        }
        return (long) ((double) sampledWaitNanos / sampledWaits * contendedAcquisitions);
    }

    private static long millisProperty(String key, long defaultMillis) {
        long millis = Long.getLong(key, defaultMillis);
        if (millis < 0) {
            throw new IllegalStateException(key + " must not be negative, is " + millis);
        }
        return millis * 1_000_000L;
    }

    private static int powerOfTwoProperty(String key, int defaultValue) {
        int value = Integer.getInteger(key, defaultValue);
        if (value < 1 || Integer.bitCount(value) != 1) {
            throw new IllegalStateException(key + " must be a positive power of two, is " + value);
        }
        return value;
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
