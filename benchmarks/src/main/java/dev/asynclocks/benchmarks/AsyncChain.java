package dev.asynclocks.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Scenario 3, async side: the driver every async contender shares. {@code tasks} tasks each take
 * the lock {@code rounds} times, every next acquisition made from the continuation of the previous
 * one; no thread ever blocks. A subclass says only how to take its lock around {@link #section()}.
 *
 * <p>All tasks queue while the caller holds the lock (the gate), so the releases form one FIFO
 * chain of hand-offs. A task whose acquisition is granted at once continues in a loop instead of
 * recursing.
 *
 * {@snippet :
 * Guard gate = mutex.tryAcquire().orElseThrow();
 * AsyncChain.run(1_000, 1_000, data, gate::release, run -> new AsyncMutexChain(run, mutex, null));
 * }
 */
abstract class AsyncChain {

    /** What the tasks of one run share. */
    record Run(DataSection data, int rounds, CountDownLatch done) {
    }

    private final Run run;
    /** Rounds left; touched only by whoever holds the lock. */
    private int remaining;

    AsyncChain(Run run) {
        this.run = run;
        this.remaining = run.rounds();
    }

    /**
     * Starts {@code tasks} tasks while the caller holds the lock, calls {@code releaseGate}, and
     * returns when every task has made its {@code rounds} acquisitions.
     */
    static void run(int tasks, int rounds, DataSection data, Runnable releaseGate, Function<Run, AsyncChain> task)
            throws InterruptedException {
        Run run = new Run(data, rounds, new CountDownLatch(tasks));
        for (int i = 0; i < tasks; i++) {
            task.apply(run).next();
        }
        releaseGate.run(); // runs the whole chain, here or on the library's threads
        run.done().await();
        data.expect((long) tasks * rounds);
    }

    /**
     * Takes the lock for one {@link #section()}: either runs the section under the lock and returns
     * {@code true}, or returns {@code false} having arranged for the section, and then
     * {@link #next()}, to run once the lock is granted.
     */
    abstract boolean sectionNowOrLater();

    /** Makes this task's remaining acquisitions, until one has to wait. */
    final void next() {
        while (remaining > 0) {
            if (!sectionNowOrLater()) {
                return;
            }
        }
        run.done().countDown();
    }

    /** The critical section; only with the lock held. */
    final void section() {
        run.data().increment();
        remaining--;
    }
}
