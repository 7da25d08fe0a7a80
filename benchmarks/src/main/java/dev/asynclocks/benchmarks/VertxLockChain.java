package dev.asynclocks.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.shareddata.SharedData;

/**
 * {@link AsyncChain} on a Vert.x local lock: {@code getLocalLock(name)}, or
 * {@code getLocalLockWithTimeout(name, ms)} when a timeout is given. Vert.x completes a queued
 * acquisition on the context of the caller that made it: here, the event loop of
 * {@link VertxLocalLocks}, so the chain runs on that thread, where Vert.x runs the next holder's
 * handler inside {@code release()}: resumptions go through a {@link Trampoline}, as for kotlinx.
 *
 * {@snippet :
 * VertxLockChain.run(vertx.sharedData(), 30_000, 1_000, 1_000, new DataSection());
 * }
 */
final class VertxLockChain extends AsyncChain implements Handler<Lock>, Runnable {

    private final SharedData sharedData;
    /** Every acquisition's timeout in ms, or a negative number for none. */
    private final long timeoutMillis;
    /** The lock granted to a queued acquisition, from {@link #handle} to {@link #run}; holder only. */
    private Lock held;

    private VertxLockChain(Run run, SharedData sharedData, long timeoutMillis) {
        super(run);
        this.sharedData = sharedData;
        this.timeoutMillis = timeoutMillis;
    }

    static void run(SharedData sharedData, long timeoutMillis, int tasks, int rounds, DataSection data)
            throws InterruptedException {
        Lock gate = sharedData.getLocalLock(VertxLocalLocks.LOCK).await();
        AsyncChain.run(tasks, rounds, data, gate::release, run -> new VertxLockChain(run, sharedData, timeoutMillis));
    }

    @Override
    boolean sectionNowOrLater() {
        Future<Lock> acquisition = timeoutMillis < 0 ? sharedData.getLocalLock(VertxLocalLocks.LOCK)
                : sharedData.getLocalLockWithTimeout(VertxLocalLocks.LOCK, timeoutMillis);
        if (!acquisition.isComplete()) {
            acquisition.onSuccess(this);
            return false;
        }
        locked(acquisition.result());
        return true;
    }

    /** Called by Vert.x once the lock is ours: on the event loop, inside the previous holder's release. */
    @Override
    public void handle(Lock lock) {
        held = lock;
        Trampoline.resume(this);
    }

    /** The resumption, run by the trampoline. */
    @Override
    public void run() {
        locked(held);
        next();
    }

    private void locked(Lock lock) {
        try {
            section();
        } finally {
            lock.release();
        }
    }
}
