package dev.asynclocks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of one engine's queued {@code acquire(Duration)} calls: one armed task for all of
 * them, for the earliest deadline, instead of one scheduled task per acquisition.
 *
 * <p>A timed acquisition that queues costs one clock read (its deadline) and one volatile read
 * here; nothing is allocated or scheduled unless its deadline is earlier than the armed one. With
 * equal timeouts deadlines arrive in non-decreasing order, so the task armed for the first covers
 * them all. When the task fires, the engine withdraws every queued acquisition whose deadline has
 * passed, in one walk of the queue under its lock ({@link HandOffSemaphore#expireDue}), and this
 * timer re-arms for the earliest deadline left. A timeout is thus an explicit event of the engine:
 * nothing a caller does to its stage (a {@code TimeoutException} of its own included) counts as one.
 *
 * <pre>
 * Implementation overview
 *
 *   armed: (at, task), replaced as a whole by CAS; at = Long.MAX_VALUE and no task when unarmed.
 *   The task is a private CompletableFuture given orTimeout(at - now) on the JDK's shared delay
 *   scheduler (no thread of ours); completing it normally cancels the scheduled JDK task, which
 *   then leaves the scheduler's queue. So at most one task per engine is scheduled, plus those
 *   being cancelled.
 *
 *   arm(deadline), after the acquisition is queued:
 *     read armed; if deadline >= armed.at: done (the armed task fires first, and its walk will
 *     see this acquisition, which is already queued). Else CAS armed to (tick-rounded deadline,
 *     new task); the winner schedules its task and cancels the one it replaced; a loser re-reads.
 *   fire(armed pair), on the JDK scheduler's thread:
 *     CAS armed from that pair to UNARMED (so a deadline arriving from now on arms by itself),
 *     then the engine's walk (which sees every acquisition queued before that CAS), then
 *     arm(earliest deadline left).
 *
 *   Deadlines are rounded up to TICK (1 ms), so a burst of nearly equal deadlines arms once; a
 *   timeout fires at most one tick (plus the scheduler's latency) late, never early.
 * </pre>
 */
final class DeadlineTimer {

    /** Deadlines are rounded up to this, in nanoseconds. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** What is armed: the tick-rounded time, and the private future whose timeout is the task. */
    private record Armed(long at, CompletableFuture<Void> task) {
    }

    private static final Armed UNARMED = new Armed(Long.MAX_VALUE, null);
    private static final VarHandle ARMED;

    static {
        try {
            ARMED = MethodHandles.lookup().findVarHandle(DeadlineTimer.class, "armed", Armed.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The engine whose queue is walked. Final. */
    private final HandOffSemaphore engine;

    /** See the overview. Replaced by CAS, by arm() and fire(). */
    private volatile Armed armed = UNARMED;

    DeadlineTimer(HandOffSemaphore engine) {
        this.engine = engine;
    }

    /**
     * Makes sure a task fires no later than one tick after {@code deadline} (a
     * {@link System#nanoTime()} value). Called after the acquisition with that deadline is queued.
     */
    void arm(long deadline) {
        long at = roundUp(deadline);
        while (true) {
            Armed current = armed;
            if (at >= current.at) {
                return; // the armed task fires first; its walk sees this acquisition
            }
            Armed next = new Armed(at, new CompletableFuture<>());
            if (ARMED.compareAndSet(this, current, next)) {
                next.task().whenComplete((ignored, timeUp) -> {
                    if (timeUp != null) {
                        fire(next);
                    }
                });
                next.task().orTimeout(Math.max(0L, at - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (current.task() != null) {
                    current.task().complete(null); // cancels its scheduled JDK task
                }
                return;
            }
        }
    }

    private void fire(Armed fired) {
        ARMED.compareAndSet(this, fired, UNARMED);
        long earliest = engine.expireDue(System.nanoTime());
        if (earliest != Long.MAX_VALUE) {
            arm(earliest);
        }
    }

    /** @return {@code deadline} rounded up to a tick, saturating */
    private static long roundUp(long deadline) {
        long rounded = deadline - Math.floorMod(deadline, TICK_NANOS) + TICK_NANOS;
        return rounded < deadline ? Long.MAX_VALUE - 1 : rounded;
    }
}
