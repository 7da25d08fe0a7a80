package dev.asynclocks.benchmarks;

import com.ibm.asyncutil.locks.AsyncLock.LockToken;
import com.ibm.asyncutil.locks.FairAsyncLock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Scenario 3, async side, for IBM async-util's {@link FairAsyncLock}: the driver of
 * {@link AsyncMutexChain}, unchanged but for the lock.
 *
 * {@snippet :
 * IbmLockChain.run(new FairAsyncLock(), 1_000, 1_000, new DataSection());
 * }
 */
final class IbmLockChain implements Consumer<LockToken> {

    private final FairAsyncLock lock;
    private final DataSection data;
    private final CountDownLatch done;
    /** Rounds left; touched only by whoever holds the lock. */
    private int remaining;

    private IbmLockChain(FairAsyncLock lock, DataSection data, CountDownLatch done, int rounds) {
        this.lock = lock;
        this.data = data;
        this.done = done;
        this.remaining = rounds;
    }

    static void run(FairAsyncLock lock, int tasks, int rounds, DataSection data) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(tasks);
        LockToken gate = lock.tryLock().orElseThrow();
        for (int i = 0; i < tasks; i++) {
            new IbmLockChain(lock, data, done, rounds).next();
        }
        gate.releaseLock();
        done.await();
        data.expect((long) tasks * rounds);
    }

    private void next() {
        while (remaining > 0) {
            CompletableFuture<LockToken> acquisition = lock.acquireLock().toCompletableFuture();
            if (!acquisition.isDone()) {
                acquisition.thenAccept(this);
                return;
            }
            section(acquisition.join());
        }
        done.countDown();
    }

    @Override
    public void accept(LockToken token) {
        section(token);
        next();
    }

    private void section(LockToken token) {
        try {
            data.increment();
            remaining--;
        } finally {
            token.releaseLock();
        }
    }
}
