package dev.asynclocks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives each primitive and the {@link FifoSemaphoreModel} with the same random sequence of
 * operations, on one thread, and compares them after every step: which acquisitions were granted,
 * in which order, which still wait, and what the primitive reports (free permits, readers, queue
 * length). Single-threaded, so every run is exactly reproducible from its seed.
 */
class FifoModelCrossCheckTest {

    static final long SEED = AbstractAsyncLockContractTest.SEED;
    static final int RUNS = Integer.getInteger("asynclocks.modelRuns", 100);
    static final int STEPS = 300;
    static final int MAX_READERS = Integer.getInteger("dev.asynclocks.maxReaders", 1 << 30);

    /** A primitive as the cross-check drives it: request kinds, each a number of permits. */
    interface Target {
        long total();

        int kinds();

        long permitsOf(int kind);

        CompletionStage<Guard> acquire(int kind, boolean timed);

        Optional<Guard> tryAcquire(int kind, boolean viaZeroTimeout);

        /** The kind that can be downgraded, or -1. */
        default int downgradableKind() {
            return -1;
        }

        default Guard downgrade(Guard writeGuard) {
            throw new UnsupportedOperationException();
        }

        void checkObservables(FifoSemaphoreModel model, String where);
    }

    record Named(String name, java.util.function.Supplier<Target> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Named> targets() {
        List<Named> targets = new ArrayList<>();
        for (int total : new int[] {1, 2, 3, 5, 8}) {
            targets.add(new Named("AsyncSemaphore(" + total + ")", () -> semaphore(total)));
        }
        targets.add(new Named("AsyncMutex", FifoModelCrossCheckTest::mutex));
        targets.add(new Named("AsyncRwLock", () -> rwLock(true)));
        return targets.stream();
    }

    static Target semaphore(int total) {
        AsyncSemaphore semaphore = new AsyncSemaphore(total);
        return new Target() {
            public long total() {
                return total;
            }

            public int kinds() {
                return total;
            }

            public long permitsOf(int kind) {
                return kind + 1;
            }

            public CompletionStage<Guard> acquire(int kind, boolean timed) {
                return timed ? semaphore.acquire(kind + 1, Duration.ofHours(1)) : semaphore.acquire(kind + 1);
            }

            public Optional<Guard> tryAcquire(int kind, boolean viaZeroTimeout) {
                return viaZeroTimeout ? viaZero(semaphore.acquire(kind + 1, Duration.ZERO)) : semaphore.tryAcquire(kind + 1);
            }

            public void checkObservables(FifoSemaphoreModel model, String where) {
                assertEquals(model.available(), semaphore.availablePermits(), where + ": availablePermits");
                assertEquals(model.queueLength(), semaphore.queueLength(), where + ": queueLength");
            }
        };
    }

    static Target mutex() {
        AsyncMutex mutex = new AsyncMutex();
        return new Target() {
            public long total() {
                return 1;
            }

            public int kinds() {
                return 1;
            }

            public long permitsOf(int kind) {
                return 1;
            }

            public CompletionStage<Guard> acquire(int kind, boolean timed) {
                return timed ? mutex.acquire(Duration.ofHours(1)) : mutex.acquire();
            }

            public Optional<Guard> tryAcquire(int kind, boolean viaZeroTimeout) {
                return viaZeroTimeout ? viaZero(mutex.acquire(Duration.ZERO)) : mutex.tryAcquire();
            }

            public void checkObservables(FifoSemaphoreModel model, String where) {
                assertEquals(model.available() == 0 || model.queueLength() > 0, mutex.isLocked(), where + ": isLocked");
                assertEquals(model.queueLength(), mutex.queueLength(), where + ": queueLength");
            }
        };
    }

    /**
     * @param checkMonitoring also compare {@code readers()} and {@code isWriteLocked()} with the
     *                        model's read and write holds
     */
    static Target rwLock(boolean checkMonitoring) {
        AsyncRwLock rw = new AsyncRwLock();
        AsyncLock[] views = {rw.readLock(), rw.writeLock()};
        return new Target() {
            public long total() {
                return MAX_READERS;
            }

            public int kinds() {
                return 2;
            }

            public long permitsOf(int kind) {
                return kind == 0 ? 1 : MAX_READERS;
            }

            public CompletionStage<Guard> acquire(int kind, boolean timed) {
                return timed ? views[kind].acquire(Duration.ofHours(1)) : views[kind].acquire();
            }

            public Optional<Guard> tryAcquire(int kind, boolean viaZeroTimeout) {
                return viaZeroTimeout ? viaZero(views[kind].acquire(Duration.ZERO)) : views[kind].tryAcquire();
            }

            public int downgradableKind() {
                return 1;
            }

            public Guard downgrade(Guard writeGuard) {
                return rw.downgrade(writeGuard);
            }

            public void checkObservables(FifoSemaphoreModel model, String where) {
                if (checkMonitoring) {
                    assertEquals(model.holdsOf(1), rw.readers(), where + ": readers");
                    assertEquals(model.holdsOf(MAX_READERS) > 0, rw.isWriteLocked(), where + ": isWriteLocked");
                }
                assertEquals(model.queueLength(), rw.queueLength(), where + ": queueLength");
            }
        };
    }

    static Optional<Guard> viaZero(CompletionStage<Guard> stage) {
        CompletableFuture<Guard> future = stage.toCompletableFuture();
        if (!future.isDone()) {
            fail("acquire(Duration.ZERO) did not complete at once");
        }
        return future.isCompletedExceptionally() ? Optional.empty() : Optional.of(future.join());
    }

    /** One acquisition of the run, real side. */
    static final class Handle {
        final int id;
        final int kind;
        CompletableFuture<Guard> future; // null for a try
        Guard guard;                     // set once granted
        boolean viaAsync;

        Handle(int id, int kind) {
            this.id = id;
            this.kind = kind;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void behavesLikeTheModel(Named named) {
        check(named);
    }

    /** Runs the cross-check for {@code named} over {@link #RUNS} seeds. */
    static void check(Named named) {
        System.out.println("FifoModelCrossCheckTest " + named + ": seeds " + SEED + " .. " + (SEED + RUNS - 1));
        for (int run = 0; run < RUNS; run++) {
            runOnce(named, SEED + run);
        }
    }

    private static void runOnce(Named named, long seed) {
        Target target = named.make().get();
        FifoSemaphoreModel model = new FifoSemaphoreModel(target.total());
        Random random = new Random(seed);
        Map<Integer, Handle> handles = new HashMap<>();
        Set<Integer> live = new LinkedHashSet<>();
        List<Integer> released = new ArrayList<>();
        List<Integer> grantLog = new ArrayList<>();
        Deque<String> history = new ArrayDeque<>();
        int nextId = 0;

        for (int step = 0; step < STEPS; step++) {
            String op;
            List<Integer> expectedGrants;
            int choice = random.nextInt(100);
            List<Integer> held = model.heldIds();
            List<Integer> queued = model.queuedIds();
            grantLog.clear();

            if (choice < 35) {
                int kind = random.nextInt(target.kinds());
                boolean timed = random.nextBoolean();
                Handle h = new Handle(nextId++, kind);
                h.viaAsync = true;
                handles.put(h.id, h);
                live.add(h.id);
                h.future = target.acquire(kind, timed).toCompletableFuture();
                h.future.whenComplete((g, failure) -> {
                    if (failure == null && g != null && g == h.future) {
                        h.guard = g;
                        grantLog.add(h.id);
                    }
                });
                op = "acquire#" + h.id + "(kind " + kind + (timed ? ", timed" : "") + ")";
                expectedGrants = model.acquire(h.id, target.permitsOf(kind));
            } else if (choice < 50) {
                int kind = random.nextInt(target.kinds());
                boolean viaZero = random.nextBoolean();
                Handle h = new Handle(nextId++, kind);
                handles.put(h.id, h);
                Optional<Guard> got = target.tryAcquire(kind, viaZero);
                op = "try#" + h.id + "(kind " + kind + (viaZero ? ", zero timeout" : "") + ")";
                boolean expected = model.tryAcquire(h.id, target.permitsOf(kind));
                assertEquals(expected, got.isPresent(), where(named, seed, step, op, history) + ": try outcome");
                got.ifPresent(g -> {
                    h.guard = g;
                    live.add(h.id);
                });
                expectedGrants = List.of();
            } else if (choice < 80 && !held.isEmpty()) {
                int id = held.get(random.nextInt(held.size()));
                Handle h = handles.get(id);
                boolean abandon = h.viaAsync && random.nextInt(6) == 0;
                if (abandon) {
                    h.future.obtrudeException(new IllegalStateException("abandoned by the caller"));
                } else {
                    h.guard.release();
                }
                op = (abandon ? "obtrude-exception#" : "release#") + id;
                live.remove(id);
                released.add(id);
                expectedGrants = model.release(id);
            } else if (choice < 85 && !released.isEmpty()) {
                int id = released.get(random.nextInt(released.size()));
                Guard stale = handles.get(id).guard;
                stale.release();
                op = "stale-release#" + id;
                expectedGrants = List.of();
            } else if (choice < 95 && !queued.isEmpty()) {
                int id = queued.get(random.nextInt(queued.size()));
                Handle h = handles.get(id);
                int how = random.nextInt(6);
                switch (how) {
                    case 0 -> h.future.cancel(true);
                    case 1 -> h.future.cancel(false);
                    case 2 -> h.future.complete(null);
                    case 3 -> h.future.completeExceptionally(new IllegalStateException("given up"));
                    case 4 -> h.future.obtrudeValue(null);
                    default -> h.future.obtrudeException(new IllegalStateException("given up"));
                }
                op = "withdraw#" + id + "(way " + how + ")";
                live.remove(id);
                expectedGrants = model.cancel(id);
            } else if (target.downgradableKind() >= 0 && !held.isEmpty()) {
                Integer writer = held.stream().filter(i -> handles.get(i).kind == target.downgradableKind())
                        .findFirst().orElse(null);
                if (writer == null) {
                    continue;
                }
                Handle w = handles.get(writer);
                Handle r = new Handle(nextId++, 0);
                handles.put(r.id, r);
                r.guard = target.downgrade(w.guard);
                live.remove(w.id);
                released.add(w.id);
                live.add(r.id);
                op = "downgrade#" + w.id + "->#" + r.id;
                expectedGrants = model.downgrade(w.id, r.id, 1);
            } else {
                continue;
            }
            history.addLast(op);
            if (history.size() > 12) {
                history.removeFirst();
            }
            String where = where(named, seed, step, op, history);
            assertEquals(expectedGrants, grantLog, where + ": grants made by this step, in order");
            for (int id : live) {
                Handle h = handles.get(id);
                boolean grantedReally = h.guard != null && !h.guard.isReleased();
                assertEquals(model.isHeld(id), grantedReally, where + ": #" + id + " held");
                if (h.future != null) {
                    assertEquals(model.isQueued(id), !h.future.isDone(), where + ": #" + id + " waiting");
                }
            }
            target.checkObservables(model, where);
        }
        // Clean up: withdraw the waiters, release the holds; the primitive must be whole again.
        for (int id : model.queuedIds()) {
            handles.get(id).future.cancel(true);
            model.cancel(id);
        }
        for (int id : model.heldIds()) {
            handles.get(id).guard.release();
            model.release(id);
        }
        target.checkObservables(model, named + ", seed " + seed + ", after clean-up");
        assertEquals(target.total(), model.available());
    }

    private static String where(Named named, long seed, int step, String op, Deque<String> history) {
        return named + ", seed " + seed + ", step " + step + " (" + op + "), recent ops " + history;
    }
}
