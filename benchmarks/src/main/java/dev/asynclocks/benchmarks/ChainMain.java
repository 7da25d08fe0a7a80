package dev.asynclocks.benchmarks;

import com.ibm.asyncutil.locks.FairAsyncLock;
import dev.asynclocks.AsyncMutex;

import java.time.Duration;

/**
 * The async chain of scenario 3 (1,000 tasks x 1,000 re-acquisitions) outside JMH, run again and
 * again for a while: a target for a profiler (docs/benchmarks.md, "Findings") and a quick A/B
 * smoke test of an engine change. Prints the best run as nanoseconds per hand-off; not a
 * benchmark result (no forks, no error bars).
 *
 * {@snippet :
 * // java -cp benchmarks/target/benchmarks.jar dev.asynclocks.benchmarks.ChainMain 15 ours
 * ChainMain.main(new String[] {"15", "ibm"});
 * }
 */
public final class ChainMain {

    private ChainMain() {
    }

    /**
     * @param args seconds to run, then {@code ours} (default), {@code timed} (ours, 30 s timeout on
     *             every acquisition) or {@code ibm}
     * @throws InterruptedException if interrupted while a chain runs
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: ChainMain <seconds> [ours|timed|ibm]");
            System.exit(2);
        }
        long seconds = Long.parseLong(args[0]);
        String which = args.length > 1 ? args[1] : "ours";
        int tasks = 1_000;
        int rounds = 1_000;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int runs = 0;
        long best = Long.MAX_VALUE;
        do {
            DataSection data = new DataSection();
            long start = System.nanoTime();
            switch (which) {
                case "ibm" -> IbmLockChain.run(new FairAsyncLock(), tasks, rounds, data);
                case "timed" -> AsyncMutexChain.run(new AsyncMutex(), Duration.ofSeconds(30), tasks, rounds, data);
                case "ours" -> AsyncMutexChain.run(new AsyncMutex(), null, tasks, rounds, data);
                default -> throw new IllegalArgumentException("ours, timed or ibm, not " + which);
            }
            best = Math.min(best, System.nanoTime() - start);
            runs++;
        } while (System.nanoTime() < end);
        System.out.printf("%s: %d runs, best %.1f ns per hand-off%n", which, runs, best / (double) (tasks * rounds));
    }
}
