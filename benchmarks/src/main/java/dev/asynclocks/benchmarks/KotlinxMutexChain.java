package dev.asynclocks.benchmarks;

import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlinx.coroutines.sync.Mutex;

import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;

/**
 * Scenario 3, async side, for the kotlinx.coroutines {@link Mutex}: its suspending {@code lock} is
 * called from Java with a hand-written {@link Continuation} per task, no coroutine builder and no
 * dispatcher, so, like ours, a resumption runs on the thread that unlocked.
 *
 * <p>Without a dispatcher kotlinx resumes the continuation inside {@code unlock}; to keep a chain of
 * a million hand-offs from nesting a million frames, resumptions go through a per-thread
 * trampoline (the same device our engine uses internally).
 *
 * {@snippet :
 * KotlinxMutexChain.run(MutexKt.Mutex(false), 1_000, 1_000, new DataSection());
 * }
 */
final class KotlinxMutexChain implements Continuation<Unit> {

    private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();

    /** Resumptions waiting for the running one to return; own thread only. */
    private static final ThreadLocal<Trampoline> TRAMPOLINE = ThreadLocal.withInitial(Trampoline::new);

    private final Mutex mutex;
    private final DataSection data;
    private final CountDownLatch done;
    /** Rounds left; touched only by whoever holds the mutex. */
    private int remaining;

    private KotlinxMutexChain(Mutex mutex, DataSection data, CountDownLatch done, int rounds) {
        this.mutex = mutex;
        this.data = data;
        this.done = done;
        this.remaining = rounds;
    }

    static void run(Mutex mutex, int tasks, int rounds, DataSection data) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(tasks);
        if (!mutex.tryLock(null)) {
            throw new IllegalStateException("mutex not free");
        }
        for (int i = 0; i < tasks; i++) {
            new KotlinxMutexChain(mutex, data, done, rounds).next();
        }
        mutex.unlock(null);
        done.await();
        data.expect((long) tasks * rounds);
    }

    private void next() {
        while (remaining > 0) {
            if (mutex.lock(null, this) == SUSPENDED) {
                return;
            }
            section();
        }
        done.countDown();
    }

    private void section() {
        try {
            data.increment();
            remaining--;
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
        TRAMPOLINE.get().resume(this);
    }

    private void resumed() {
        section();
        next();
    }

    /** Runs resumptions one after another on this thread instead of nesting them. */
    private static final class Trampoline {
        private final ArrayDeque<KotlinxMutexChain> pending = new ArrayDeque<>();
        private boolean running;

        void resume(KotlinxMutexChain task) {
            pending.add(task);
            if (running) {
                return;
            }
            running = true;
            try {
                for (KotlinxMutexChain next = pending.poll(); next != null; next = pending.poll()) {
                    next.resumed();
                }
            } finally {
                running = false;
            }
        }
    }
}
