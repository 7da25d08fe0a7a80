package dev.asynclocks.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one body on many virtual threads at once: all threads are started, wait at a gate, and are
 * released together, so every contender sees the same burst; returns when all have finished and
 * rethrows the first failure.
 *
 * {@snippet :
 * VirtualThreads.run(1_000, index -> {
 *     try (Guard guard = mutex.lock()) {
 *         data.increment();
 *     }
 * });
 * }
 */
final class VirtualThreads {

    /** What each virtual thread runs, given its index. */
    @FunctionalInterface
    interface Body {
        void run(int index) throws Exception;
    }

    private VirtualThreads() {
    }

    static void run(int threads, Body body) throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] started = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            started[i] = Thread.ofVirtual().start(() -> {
                try {
                    gate.await();
                    body.run(index);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
        }
        gate.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a virtual thread failed", t);
        }
    }
}
