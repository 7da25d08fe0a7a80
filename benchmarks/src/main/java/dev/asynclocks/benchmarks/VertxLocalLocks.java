package dev.asynclocks.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.shareddata.SharedData;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * The Vert.x instance behind the Vert.x local-lock contenders, as a JMH state of its own: only the
 * benchmark methods that take it as a parameter create it, so no other benchmark runs beside
 * Vert.x's threads. Created once per trial and closed after it.
 *
 * <p>Kept as small as Vert.x allows: one event loop (Vert.x completes a queued lock acquisition on
 * the context of its caller; from a thread of its own, that is an event loop, so every queued
 * hand-off goes through this thread), one worker and one internal blocking thread (never used
 * here), and the blocked-thread checker, a timer thread, waking once an hour instead of every
 * second.
 *
 * {@snippet :
 * @Benchmark
 * public void vertxLocalLock(VertxLocalLocks vertx) {
 *     Lock lock = vertx.sharedData().getLocalLock(VertxLocalLocks.LOCK).await();
 *     lock.release();
 * }
 * }
 */
@State(Scope.Benchmark)
public class VertxLocalLocks {

    /** The name of the one local lock every benchmark takes. */
    static final String LOCK = "benchmark";

    private Vertx vertx;
    private SharedData sharedData;

    @Setup(Level.Trial)
    public void start() {
        vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setBlockedThreadCheckInterval(1)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.HOURS));
        sharedData = vertx.sharedData();
    }

    @TearDown(Level.Trial)
    public void stop() {
        vertx.close().await();
    }

    /** Fails the benchmark, saying why, when it would queue more waiters than Vert.x can take in time. */
    void requireAtMost(int maxTasks, int tasks) {
        if (tasks > maxTasks) {
            throw new UnsupportedOperationException("not run: Vert.x local locks copy their waiter list on every"
                    + " acquisition and release, so " + tasks + " tasks would take hours; at most " + maxTasks);
        }
    }

    SharedData sharedData() {
        return sharedData;
    }
}
