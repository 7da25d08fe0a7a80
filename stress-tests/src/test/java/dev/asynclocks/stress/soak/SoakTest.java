package dev.asynclocks.stress.soak;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The seeded soak (see {@link Soak}): CI size by default, {@code -Pfull} for a million
 * operations. The seed is printed first and in every failure; rerun one with
 * {@code -Dasynclocks.soak.seed=<seed>}.
 *
 * <p>Sizes: {@code asynclocks.soak.operations} (default 200,000), {@code asynclocks.soak.threads}
 * (default 1,000). The bound on the run time is the failure signal for a lost wake-up (a worker
 * that never gets its grant), not a timing assertion.
 */
class SoakTest {

    static final long SEED = Long.getLong("asynclocks.soak.seed", 0x5EED_2026_1126L);
    static final int OPERATIONS = Integer.getInteger("asynclocks.soak.operations", 200_000);
    static final int THREADS = Integer.getInteger("asynclocks.soak.threads", 1_000);

    @Test
    void soak() throws Exception {
        String rerun = "seed " + SEED + " (rerun with -Dasynclocks.soak.seed=" + SEED + " -Dasynclocks.soak.operations="
                + OPERATIONS + " -Dasynclocks.soak.threads=" + THREADS + ")";
        System.out.println("SoakTest: " + OPERATIONS + " operations on " + THREADS + " virtual threads, " + rerun);
        Duration bound = Duration.ofMinutes(Math.max(5, OPERATIONS / 100_000));
        long start = System.nanoTime();
        Soak.Result result = new Soak(SEED, THREADS, OPERATIONS).run(bound);
        long millis = (System.nanoTime() - start) / 1_000_000;
        result.outcomes().forEach((outcome, count) -> System.out.println("SoakTest:   " + outcome + ": " + count));
        result.endState().forEach(state -> System.out.println("SoakTest: end " + state));
        System.out.println("SoakTest: " + (result.finished() ? "finished" : "DID NOT FINISH") + " in " + millis + " ms, "
                + result.violations().size() + " violations");
        if (!result.finished()) {
            fail("soak did not finish within " + bound + " (lost wake-up?), " + rerun + "; stuck: " + result.stuck()
                    + "; locks: " + result.endState());
        }
        if (!result.violations().isEmpty()) {
            fail(result.violations().size() + " invariant violations, " + rerun + "; first: "
                    + result.violations().subList(0, Math.min(10, result.violations().size())));
        }
    }
}
