package dev.asynclocks.benchmarks;

import java.util.ArrayDeque;

/**
 * Runs resumptions one after another on the current thread instead of nesting them. kotlinx's
 * {@code Mutex} (without a dispatcher) and Vert.x's local lock (on the holder's own event loop) run
 * the next holder's continuation inside the releasing call; in a chain of a million hand-offs,
 * that would nest a million frames. Our engine and IBM's do this themselves.
 *
 * {@snippet :
 * public void handle(Lock lock) { // called inside the previous holder's release()
 *     held = lock;
 *     Trampoline.resume(this);    // runs this.run() once the running resumption has returned
 * }
 * }
 */
final class Trampoline {

    /** Resumptions waiting for the running one to return; own thread only. */
    private static final ThreadLocal<Trampoline> CURRENT = ThreadLocal.withInitial(Trampoline::new);

    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private boolean running;

    private Trampoline() {
    }

    static void resume(Runnable resumption) {
        CURRENT.get().add(resumption);
    }

    private void add(Runnable resumption) {
        pending.add(resumption);
        if (running) {
            return;
        }
        running = true;
        try {
            for (Runnable next = pending.poll(); next != null; next = pending.poll()) {
                next.run();
            }
        } finally {
            running = false;
        }
    }
}
