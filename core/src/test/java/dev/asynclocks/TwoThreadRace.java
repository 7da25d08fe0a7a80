package dev.asynclocks;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs one race many times: per round, {@code setUp} on the calling thread, then {@code left} on
 * the calling thread and {@code right} on a helper platform thread at (nearly) the same instant,
 * then {@code check} on the calling thread once both are done.
 *
 * <p>The two sides meet at a start line per round (spin, then yield, so that it also progresses on
 * a busy two-core machine); nothing is timed. A failure names the round.
 *
 * @param <S> the state of one round
 */
final class TwoThreadRace<S> {

    /** What one round does. */
    interface Round<S> {
        S setUp() throws Exception;

        void left(S state) throws Exception;

        void right(S state) throws Exception;

        void check(S state, int round) throws Exception;
    }

    private volatile int started = -1;   // written by the caller: the round the helper may run
    private volatile int arrived = -1;   // written by the helper: it is at the start line of a round
    private volatile int finished = -1;  // written by the helper: the last round it ran
    private volatile boolean stop;       // written by the caller when it leaves
    private volatile S current;          // written by the caller before it publishes started
    private final AtomicReference<Throwable> helperFailure = new AtomicReference<>();

    private TwoThreadRace() {
    }

    static <S> void run(int rounds, Round<S> round) throws Exception {
        new TwoThreadRace<S>().go(rounds, round);
    }

    static <S> void run(int rounds, Supplier<S> setUp, Consumer<S> left, Consumer<S> right,
                        Checker<S> check) throws Exception {
        run(rounds, new Round<S>() {
            @Override
            public S setUp() {
                return setUp.get();
            }

            @Override
            public void left(S state) {
                left.accept(state);
            }

            @Override
            public void right(S state) {
                right.accept(state);
            }

            @Override
            public void check(S state, int round) throws Exception {
                check.check(state, round);
            }
        });
    }

    /** The per-round check. */
    interface Checker<S> {
        void check(S state, int round) throws Exception;
    }

    private void go(int rounds, Round<S> round) throws Exception {
        Thread helper = Thread.ofPlatform().name("race-right").daemon().start(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    final int r = i;
                    spinUntil(() -> started >= r || stop);
                    if (stop) {
                        return;
                    }
                    S state = current;
                    arrived = i;
                    jitter(i * 13);
                    round.right(state);
                    finished = i;
                }
            } catch (Throwable t) {
                helperFailure.set(t);
                finished = Integer.MAX_VALUE;
                arrived = Integer.MAX_VALUE;
            }
        });
        try {
            for (int i = 0; i < rounds; i++) {
                S state = round.setUp();
                current = state;
                started = i;
                final int r = i;
                spinUntil(() -> arrived >= r);
                jitter(i * 7);
                round.left(state);
                spinUntil(() -> finished >= r);
                Throwable failure = helperFailure.get();
                if (failure != null) {
                    throw new AssertionError("round " + i + ": the right side failed: " + failure, failure);
                }
                try {
                    round.check(state, i);
                } catch (AssertionError e) {
                    throw new AssertionError("round " + i + " of " + rounds + ": " + e.getMessage(), e);
                }
            }
        } finally {
            stop = true;
            Await.terminated(helper);
        }
    }

    /**
     * A few spins, varying from round to round, so the two sides meet at shifting offsets: on even
     * rounds a close finish (up to 36 spins), on odd rounds a wider spread (up to ~1,500 spins).
     */
    private static void jitter(int seed) {
        int bound = (seed & 1) == 0 ? 37 : 1_499;
        for (int spins = Math.floorMod(seed * 31, bound); spins > 0; spins--) {
            Thread.onSpinWait();
        }
    }

    private static void spinUntil(java.util.function.BooleanSupplier condition) {
        Await.until("the other side of the race", condition);
    }
}
