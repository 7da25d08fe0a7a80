package dev.asynclocks;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs one race many times: per round, {@code setUp} on the calling thread, then {@code left} on
 * the calling thread and {@code right} on a helper platform thread at (nearly) the same instant,
 * then {@code check} on the calling thread once both are done. A failure names the round.
 *
 * <p>The two sides meet at a start line per round. On a busy machine one side often arrives late
 * (it was descheduled), which would let the same side win every round; so the check reports which
 * side won, and the runner delays the side that keeps winning (by a busy wait, adapted from round
 * to round, plus a little jitter), steering the race towards its close finishes. Nothing is timed
 * or asserted about time: the delays only choose which interleavings get explored.
 *
 * @param <S> the state of one round
 */
final class TwoThreadRace<S> {

    /** The per-round check; returns whether the left side won, or null if it cannot tell. */
    interface Checker<S> {
        Boolean check(S state, int round) throws Exception;
    }

    private static final long MAX_BIAS_NANOS = 50_000;

    private volatile int started = -1;      // written by the caller: the round the helper may run
    private volatile int leftArrived = -1;  // written by the caller: it is at the start line
    private volatile int rightArrived = -1; // written by the helper: it is at the start line
    private volatile int finished = -1;     // written by the helper: the last round it ran
    private volatile boolean stop;          // written by the caller when it leaves
    private volatile S current;             // written by the caller before it publishes started
    private volatile long rightDelay;       // written by the caller before it publishes started
    private final AtomicReference<Throwable> helperFailure = new AtomicReference<>();

    private int leftWins;
    private int rightWins;

    private TwoThreadRace() {
    }

    /**
     * Runs {@code rounds} rounds.
     *
     * @return a summary: how often each side won
     */
    static <S> String run(int rounds, Supplier<S> setUp, Consumer<S> left, Consumer<S> right, Checker<S> check)
            throws Exception {
        TwoThreadRace<S> race = new TwoThreadRace<>();
        race.go(rounds, setUp, left, right, check);
        return "left won " + race.leftWins + ", right won " + race.rightWins + " of " + rounds;
    }

    private void go(int rounds, Supplier<S> setUp, Consumer<S> left, Consumer<S> right, Checker<S> check)
            throws Exception {
        Thread helper = Thread.ofPlatform().name("race-right").daemon().start(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    final int r = i;
                    spinThenWait("round " + r + " starts", () -> started >= r || stop);
                    if (stop) {
                        return;
                    }
                    S state = current;
                    long delay = rightDelay;
                    rightArrived = i;
                    rendezvous(() -> leftArrived >= r);
                    busyWait(delay);
                    right.accept(state);
                    finished = i;
                }
            } catch (Throwable t) {
                helperFailure.set(t);
                finished = Integer.MAX_VALUE;
                rightArrived = Integer.MAX_VALUE;
            }
        });
        long bias = 0; // > 0: delay the right side; < 0: delay the left side
        try {
            for (int i = 0; i < rounds; i++) {
                S state = setUp.get();
                long jitter = (i * 37L) % 256;
                long leftDelay = Math.max(0, -bias) + ((i & 1) == 0 ? jitter : 0);
                current = state;
                rightDelay = Math.max(0, bias) + ((i & 1) == 1 ? jitter : 0);
                started = i;
                leftArrived = i;
                final int r = i;
                rendezvous(() -> rightArrived >= r);
                busyWait(leftDelay);
                left.accept(state);
                spinThenWait("the right side of round " + r + " ends", () -> finished >= r);
                Throwable failure = helperFailure.get();
                if (failure != null) {
                    throw new AssertionError("round " + i + ": the right side failed: " + failure, failure);
                }
                Boolean leftWon;
                try {
                    leftWon = check.check(state, i);
                } catch (AssertionError e) {
                    throw new AssertionError("round " + i + " of " + rounds + ": " + e.getMessage(), e);
                }
                if (leftWon != null) {
                    long step = 20 + Math.abs(bias) / 16;
                    if (leftWon) {
                        leftWins++;
                        bias = Math.max(-MAX_BIAS_NANOS, bias - step);
                    } else {
                        rightWins++;
                        bias = Math.min(MAX_BIAS_NANOS, bias + step);
                    }
                }
            }
        } finally {
            stop = true;
            Await.terminated(helper);
        }
    }

    /**
     * The start line: both sides spin until the other has arrived, so that they leave it close
     * together; a side whose partner is not running yields to it instead of burning the core.
     */
    private static void rendezvous(BooleanSupplier otherArrived) {
        for (int spins = 0; spins < 2_000; spins++) {
            if (otherArrived.getAsBoolean()) {
                return;
            }
            Thread.onSpinWait();
        }
        while (!otherArrived.getAsBoolean()) {
            Thread.yield();
        }
    }

    /** Spins a while (the other side is usually only microseconds away), then polls politely. */
    private static void spinThenWait(String what, BooleanSupplier condition) {
        for (int spins = 0; spins < 20_000; spins++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.onSpinWait();
        }
        Await.until(what, condition);
    }

    private static void busyWait(long nanos) {
        if (nanos <= 0) {
            return;
        }
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
