package dev.asynclocks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * For one engine built with {@code detectSelfDeadlock()}: how many permits each thread holds
 * through guards it acquired synchronously ({@code lock}, {@code lock(Duration)},
 * {@code tryAcquire}), so that a {@code lock()} that could only wait for the calling thread's own
 * holds fails instead of parking forever ({@link HandOffSemaphore}'s {@code checkSelfDeadlockLocked}).
 *
 * <p>Implementation overview: a {@link ThreadLocal} per engine (not static: no global state; it
 * goes with the engine) holds the thread's {@link Count}. A tracked guard ({@link TrackedGuard})
 * keeps the count of the thread that acquired it and subtracts its permits when its hold ends,
 * on whatever thread that happens, so the count is changed atomically (getAndAdd) and read with
 * a plain volatile read by its own thread. Invariant: a thread's count is the sum of the permits
 * of its tracked guards whose holds have not ended; it is never negative.
 */
final class ThreadHolds {

    /** One thread's permits of one engine, held through tracked guards. */
    static final class Count {
        private static final VarHandle PERMITS;

        static {
            try {
                PERMITS = MethodHandles.lookup().findVarHandle(Count.class, "permits", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile int permits;

        void add(int delta) {
            PERMITS.getAndAdd(this, delta);
        }

        int permits() {
            return permits;
        }
    }

    private final ThreadLocal<Count> perThread = ThreadLocal.withInitial(Count::new);

    /**
     * Counts a new hold of the calling thread.
     *
     * @param guard   the guard just granted to the calling thread
     * @param permits the permits it holds
     * @return the guard to hand out: {@code guard}, tracked
     */
    PermitGuard track(PermitGuard guard, int permits) {
        Count count = perThread.get();
        count.add(permits);
        return new TrackedGuard(guard, count);
    }

    /**
     * Re-tracks the hold a downgrade made from a tracked guard, under the same thread's count
     * (which still includes the {@code permits} the downgrade kept).
     */
    PermitGuard retrack(PermitGuard downgraded, PermitGuard original) {
        return original instanceof TrackedGuard tracked ? new TrackedGuard(downgraded, tracked.count()) : downgraded;
    }

    /** @return the calling thread's count */
    Count currentCount() {
        return perThread.get();
    }

    /** @return the permits the calling thread holds through tracked guards */
    int heldByCurrentThread() {
        Count count = perThread.get();
        return count.permits();
    }
}
