package dev.asynclocks.benchmarks;

import com.ibm.asyncutil.locks.AsyncLock.LockToken;
import com.ibm.asyncutil.locks.FairAsyncLock;

import java.util.concurrent.CompletableFuture;

/**
 * {@link AsyncChain} on IBM async-util's {@link FairAsyncLock}.
 *
 * {@snippet :
 * IbmLockChain.run(new FairAsyncLock(), 1_000, 1_000, new DataSection());
 * }
 */
final class IbmLockChain extends CompletableFutureChain<LockToken> {

    private final FairAsyncLock lock;

    private IbmLockChain(Run run, FairAsyncLock lock) {
        super(run);
        this.lock = lock;
    }

    static void run(FairAsyncLock lock, int tasks, int rounds, DataSection data) throws InterruptedException {
        LockToken gate = lock.tryLock().orElseThrow();
        AsyncChain.run(tasks, rounds, data, gate::releaseLock, run -> new IbmLockChain(run, lock));
    }

    @Override
    CompletableFuture<LockToken> acquire() {
        return lock.acquireLock().toCompletableFuture();
    }

    @Override
    void release(LockToken token) {
        token.releaseLock();
    }
}
