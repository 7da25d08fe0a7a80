package dev.asynclocks.benchmarks;

import com.google.common.util.concurrent.ExecutionSequencer;
import com.ibm.asyncutil.locks.FairAsyncLock;
import dev.asynclocks.AsyncMutex;
import kotlinx.coroutines.sync.MutexKt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

/**
 * Every async chain of scenario 3 finishes and counts every section ({@link AsyncChain#run} checks
 * the count), with few tasks and many rounds (a long chain of hand-offs, which must not recurse)
 * and with many tasks. Asserts no timing.
 */
@Timeout(60)
class AsyncChainTest {

    private static final int[][] SHAPES = {{2, 50_000}, {1_000, 5}};

    private static final VertxLocalLocks VERTX = new VertxLocalLocks();

    @BeforeAll
    static void startVertx() {
        VERTX.start();
    }

    @AfterAll
    static void stopVertx() {
        VERTX.stop();
    }

    @Test
    void asyncMutex() throws InterruptedException {
        for (int[] shape : SHAPES) {
            AsyncMutexChain.run(new AsyncMutex(), null, shape[0], shape[1], new DataSection());
            AsyncMutexChain.run(new AsyncMutex(), Duration.ofSeconds(30), shape[0], shape[1], new DataSection());
        }
    }

    @Test
    void ibmFairAsyncLock() throws InterruptedException {
        for (int[] shape : SHAPES) {
            IbmLockChain.run(new FairAsyncLock(), shape[0], shape[1], new DataSection());
        }
    }

    @Test
    void kotlinxMutex() throws InterruptedException {
        for (int[] shape : SHAPES) {
            KotlinxMutexChain.run(MutexKt.Mutex(false), shape[0], shape[1], new DataSection());
        }
    }

    @Test
    void vertxLocalLock() throws InterruptedException {
        for (int[] shape : SHAPES) {
            VertxLockChain.run(VERTX.sharedData(), -1, shape[0], shape[1], new DataSection());
            VertxLockChain.run(VERTX.sharedData(), 30_000, shape[0], shape[1], new DataSection());
        }
    }

    @Test
    void guavaExecutionSequencer() throws InterruptedException {
        for (int[] shape : SHAPES) {
            GuavaSequencerChain.run(ExecutionSequencer.create(), shape[0], shape[1], new DataSection());
        }
    }
}
