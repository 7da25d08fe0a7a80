package dev.asynclocks.benchmarks;

import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlinx.coroutines.sync.Mutex;


/**
 * {@link AsyncChain} on the kotlinx.coroutines {@link Mutex}: its suspending {@code lock} is
 * called from Java with a hand-written {@link Continuation} per task, no coroutine builder and no
 * dispatcher, so, like ours, a resumption runs on the thread that unlocked.
 *
 * <p>Without a dispatcher kotlinx resumes the continuation inside {@code unlock}; to keep a chain of
 * a million hand-offs from nesting a million frames, resumptions go through a {@link Trampoline}
 * (the same device our engine uses internally).
 *
 * {@snippet :
 * KotlinxMutexChain.run(MutexKt.Mutex(false), 1_000, 1_000, new DataSection());
 * }
 */
final class KotlinxMutexChain extends AsyncChain implements Continuation<Unit>, Runnable {

    private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();

    private final Mutex mutex;

    private KotlinxMutexChain(Run run, Mutex mutex) {
        super(run);
        this.mutex = mutex;
    }

    static void run(Mutex mutex, int tasks, int rounds, DataSection data) throws InterruptedException {
        if (!mutex.tryLock(null)) {
            throw new IllegalStateException("mutex not free");
        }
        AsyncChain.run(tasks, rounds, data, () -> mutex.unlock(null), run -> new KotlinxMutexChain(run, mutex));
    }

    @Override
    boolean sectionNowOrLater() {
        if (mutex.lock(null, this) == SUSPENDED) {
            return false;
        }
        locked();
        return true;
    }

    private void locked() {
        try {
            section();
        } finally {
            mutex.unlock(null);
        }
    }

    @Override
    public CoroutineContext getContext() {
        return EmptyCoroutineContext.INSTANCE;
    }

    /** Called by kotlinx once the lock is ours (inside the previous holder's unlock). */
    @Override
    public void resumeWith(Object result) {
        Trampoline.resume(this);
    }

    /** The resumption, run by the trampoline. */
    @Override
    public void run() {
        locked();
        next();
    }
}
