package dev.asynclocks.stress.soak;

import dev.asynclocks.AsyncLock;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A seeded randomized run: virtual threads hammer one mutex, one read-write lock and one
 * semaphore with every kind of acquisition (parked, async, try, timed, cancelled, interrupted,
 * downgraded, upgraded, withLock, n permits, with the semaphore's total changing), while {@link Occupancy} checks that no more permits are ever
 * out than exist and every grant is released exactly once. Each worker draws its operations from
 * its own {@code SplittableRandom} split from the seed, so a seed names the operation mix of a
 * run (thread timing is the machine's).
 *
 * {@snippet :
 * Soak.Result result = new Soak(seed, 1_000, 50_000).run(Duration.ofMinutes(5));
 * }
 */
final class Soak {

    /** The operations, each one acquisition (and, when granted, one section). */
    enum Op {
        MUTEX_LOCK, MUTEX_LOCK_TIMEOUT, MUTEX_ACQUIRE, MUTEX_ACQUIRE_TIMEOUT, MUTEX_ACQUIRE_ZERO, MUTEX_TRY,
        MUTEX_CANCEL, MUTEX_INTERRUPTIBLE_LOCK, MUTEX_WITH_LOCK, MUTEX_WITH_LOCK_LATER,
        READ_LOCK, WRITE_LOCK, READ_TRY, WRITE_TRY, READ_ACQUIRE_TIMEOUT, WRITE_CANCEL, WRITE_DOWNGRADE,
        WRITE_INTERRUPTIBLE_LOCK,
        UPGRADE,
        PERMITS_LOCK, PERMITS_ACQUIRE, PERMITS_TRY, PERMITS_ACQUIRE_TIMEOUT, PERMITS_CANCEL, PERMITS_WITH_PERMITS,
        PERMITS_ADD_THEN_FORGET
    }

    /** What a run did, for the test to check and print. */
    record Result(boolean finished, List<String> violations, Map<String, Long> outcomes, List<String> stuck,
                  List<String> endState) {
    }

    static final int SEMAPHORE_PERMITS = 4;
    private static final Op[] OPS = Op.values();

    private final long seed;
    private final int threads;
    private final int operations;
    private final int maxReaders = Integer.getInteger("dev.asynclocks.maxReaders", 1 << 30);
    /** An upgradable read's permits: more than half. */
    private final int upgradable = maxReaders / 2 + 1;
    /** One resizing of the semaphore at a time, so that the occupancy's bound follows the total. */
    private final java.util.concurrent.locks.ReentrantLock resizing = new java.util.concurrent.locks.ReentrantLock();

    private final AsyncMutex mutex = AsyncMutex.builder().name("soak-mutex").build();
    private final AsyncRwLock rwLock = AsyncRwLock.builder().name("soak-rwlock").build();
    private final AsyncSemaphore semaphore = AsyncSemaphore.builder(SEMAPHORE_PERMITS).name("soak-semaphore").build();

    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final Occupancy mutexOccupancy = new Occupancy("mutex", 1, violations);
    private final Occupancy rwOccupancy;
    private final Occupancy semaphoreOccupancy = new Occupancy("semaphore", SEMAPHORE_PERMITS, violations);

    private final Map<String, LongAdder> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicReferenceArray<Thread> workers;
    /** Per worker: the operation in progress, set while it may be interrupted (interruptible ops). */
    private final AtomicReferenceArray<String> current;
    private volatile boolean[] interruptible;
    private volatile boolean done;

    Soak(long seed, int threads, int operations) {
        this.seed = seed;
        this.threads = threads;
        this.operations = operations;
        this.rwOccupancy = new Occupancy("rwlock", maxReaders, violations);
        this.workers = new AtomicReferenceArray<>(threads);
        this.current = new AtomicReferenceArray<>(threads);
        this.interruptible = new boolean[threads];
    }

    Result run(Duration bound) throws InterruptedException {
        SplittableRandom root = new SplittableRandom(seed);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Thread interrupter = Thread.ofVirtual().name("soak-interrupter").start(this::interruptSometimes);
        for (int w = 0; w < threads; w++) {
            int worker = w;
            int count = operations / threads + (w < operations % threads ? 1 : 0);
            SplittableRandom random = root.split();
            executor.submit(() -> work(worker, count, random));
        }
        executor.shutdown();
        boolean finished = executor.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS);
        done = true;
        interrupter.join();
        List<String> stuck = new ArrayList<>();
        if (!finished) {
            for (int w = 0; w < threads && stuck.size() < 20; w++) {
                if (current.get(w) != null) {
                    stuck.add("worker " + w + " in " + current.get(w) + ": " + workers.get(w));
                }
            }
            executor.shutdownNow();
        }
        List<String> endState = finished ? checkEndState() : List.of(mutex.toString(), rwLock.toString(), semaphore.toString());
        Map<String, Long> counts = new TreeMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.sum()));
        return new Result(finished, List.copyOf(violations), counts, stuck, endState);
    }

    // ---- one worker ---------------------------------------------------------------------------

    private void work(int worker, int count, SplittableRandom random) {
        workers.set(worker, Thread.currentThread());
        try {
            for (int i = 0; i < count; i++) {
                Op op = OPS[random.nextInt(OPS.length)];
                current.set(worker, op.name());
                try {
                    run(worker, op, random);
                } catch (Throwable t) {
                    violations.add(op + " threw " + t);
                }
                Thread.interrupted(); // an interrupt aimed at an earlier operation may land late
            }
        } finally {
            current.set(worker, null);
        }
    }

    private void run(int worker, Op op, SplittableRandom random) throws Exception {
        switch (op) {
            case MUTEX_LOCK -> parked(op, () -> mutex.lock(), mutexOccupancy, 1, random);
            case MUTEX_LOCK_TIMEOUT -> parked(op, () -> mutex.lock(shortTimeout(random)), mutexOccupancy, 1, random);
            case MUTEX_ACQUIRE -> async(op, mutex.acquire(), mutexOccupancy, 1, random);
            case MUTEX_ACQUIRE_TIMEOUT -> async(op, mutex.acquire(shortTimeout(random)), mutexOccupancy, 1, random);
            case MUTEX_ACQUIRE_ZERO -> async(op, mutex.acquire(Duration.ZERO), mutexOccupancy, 1, random);
            case MUTEX_TRY -> tried(op, mutex.tryAcquire(), mutexOccupancy, 1, random);
            case MUTEX_CANCEL -> cancelled(op, mutex.acquire(), mutexOccupancy, 1, random);
            case MUTEX_INTERRUPTIBLE_LOCK -> interruptibly(worker, op, () -> mutex.lock(), mutexOccupancy, 1, random);
            case MUTEX_WITH_LOCK -> withLock(op, mutex::withLock, mutexOccupancy, 1, random, false);
            case MUTEX_WITH_LOCK_LATER -> withLock(op, mutex::withLock, mutexOccupancy, 1, random, true);
            case READ_LOCK -> parked(op, () -> rwLock.readLock().lock(), rwOccupancy, 1, random);
            case WRITE_LOCK -> parked(op, () -> rwLock.writeLock().lock(), rwOccupancy, maxReaders, random);
            case READ_TRY -> tried(op, rwLock.readLock().tryAcquire(), rwOccupancy, 1, random);
            case WRITE_TRY -> tried(op, rwLock.writeLock().tryAcquire(), rwOccupancy, maxReaders, random);
            case READ_ACQUIRE_TIMEOUT -> async(op, rwLock.readLock().acquire(shortTimeout(random)), rwOccupancy, 1, random);
            case WRITE_CANCEL -> cancelled(op, rwLock.writeLock().acquire(), rwOccupancy, maxReaders, random);
            case WRITE_DOWNGRADE -> downgrade(op, random);
            case WRITE_INTERRUPTIBLE_LOCK -> interruptibly(worker, op, () -> rwLock.writeLock().lock(), rwOccupancy, maxReaders, random);
            case UPGRADE -> upgrade(op, random);
            case PERMITS_LOCK -> {
                int n = permits(random);
                parked(op, () -> semaphore.lock(n), semaphoreOccupancy, n, random);
            }
            case PERMITS_ACQUIRE -> {
                int n = permits(random);
                async(op, semaphore.acquire(n), semaphoreOccupancy, n, random);
            }
            case PERMITS_TRY -> {
                int n = permits(random);
                tried(op, semaphore.tryAcquire(n), semaphoreOccupancy, n, random);
            }
            case PERMITS_ACQUIRE_TIMEOUT -> {
                int n = permits(random);
                async(op, semaphore.acquire(n, shortTimeout(random)), semaphoreOccupancy, n, random);
            }
            case PERMITS_CANCEL -> {
                int n = permits(random);
                cancelled(op, semaphore.acquire(n), semaphoreOccupancy, n, random);
            }
            case PERMITS_WITH_PERMITS -> {
                int n = permits(random);
                withLock(op, action -> semaphore.withPermits(n, action), semaphoreOccupancy, n, random, random.nextBoolean());
            }
            case PERMITS_ADD_THEN_FORGET -> addThenForget(op, random);
        }
    }

    // ---- acquisition styles --------------------------------------------------------------------

    private interface Locking {
        Guard lock() throws InterruptedException, TimeoutException;
    }

    private void parked(Op op, Locking locking, Occupancy occupancy, int n, SplittableRandom random) {
        Guard guard;
        try {
            guard = locking.lock();
        } catch (TimeoutException e) {
            count(op, "timed out");
            return;
        } catch (InterruptedException e) {
            count(op, "interrupted");
            return;
        }
        hold(op, guard, occupancy, n, random);
    }

    private void interruptibly(int worker, Op op, Locking locking, Occupancy occupancy, int n, SplittableRandom random) {
        setInterruptible(worker, true);
        Guard guard;
        try {
            guard = locking.lock();
        } catch (TimeoutException e) {
            count(op, "timed out");
            return;
        } catch (InterruptedException e) {
            count(op, "interrupted");
            return;
        } finally {
            setInterruptible(worker, false);
        }
        hold(op, guard, occupancy, n, random);
    }

    private void async(Op op, CompletionStage<Guard> stage, Occupancy occupancy, int n, SplittableRandom random) {
        Guard guard;
        try {
            guard = stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TimeoutException) {
                count(op, "timed out");
                return;
            }
            throw e;
        }
        hold(op, guard, occupancy, n, random);
    }

    private void tried(Op op, Optional<Guard> guard, Occupancy occupancy, int n, SplittableRandom random) {
        if (guard.isEmpty()) {
            count(op, "refused");
            return;
        }
        hold(op, guard.get(), occupancy, n, random);
    }

    /** Cancels a just-made acquisition, at once or after a yield; if the grant won, holds it. */
    private void cancelled(Op op, CompletionStage<Guard> stage, Occupancy occupancy, int n, SplittableRandom random) {
        CompletableFuture<Guard> future = stage.toCompletableFuture();
        if (random.nextBoolean()) {
            Thread.yield();
        }
        if (future.cancel(false)) {
            if (!future.isCancelled()) {
                violations.add(op + ": cancel() returned true but the stage is not cancelled");
            }
            count(op, "cancelled");
            return;
        }
        Guard guard;
        try {
            guard = future.join();
        } catch (CancellationException e) {
            violations.add(op + ": cancel() returned false but the stage is cancelled");
            return;
        }
        hold(op, guard, occupancy, n, random);
    }

    private void withLock(Op op, java.util.function.Function<Supplier<CompletionStage<Object>>, CompletionStage<Object>> withLock,
                          Occupancy occupancy, int n, SplittableRandom random, boolean completeLater) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Object> body = new CompletableFuture<>();
        boolean pause = random.nextBoolean();
        CompletionStage<Object> result = withLock.apply(() -> {
            occupancy.enter(n);
            if (!completeLater) {
                if (pause) {
                    Thread.yield();
                }
                occupancy.exit(n);
                return CompletableFuture.completedFuture(op);
            }
            started.complete(null);
            return body;
        });
        if (completeLater) {
            started.join();          // the section is open (on whichever thread granted it)
            pauseInside(random);
            occupancy.exit(n);
            body.complete(op);       // closing the stage releases the lock, on this thread
        }
        if (result.toCompletableFuture().join() != op) {
            violations.add(op + ": withLock returned another value");
        }
        count(op, "held");
    }

    private void downgrade(Op op, SplittableRandom random) throws InterruptedException {
        Guard write = rwLock.writeLock().lock();
        rwOccupancy.enter(maxReaders);
        pauseInside(random);
        rwOccupancy.shrink(maxReaders, 1);
        Guard read = rwLock.downgrade(write);
        if (!write.isReleased()) {
            violations.add(op + ": the write guard is still live after downgrade");
        }
        pauseInside(random);
        rwOccupancy.exit(1);
        read.release();
        write.release(); // stale: a no-op
        count(op, "held");
    }

    /**
     * An upgradable read, then an upgrade in one of four ways (parked, async, timed, cancelled);
     * granted, the write section, then back down to the upgradable read or a release; withdrawn or
     * interrupted, the upgradable hold must still be held.
     */
    private void upgrade(Op op, SplittableRandom random) {
        Guard check;
        try {
            check = rwLock.upgradableReadLock().lock();
        } catch (InterruptedException e) {
            count(op, "interrupted before the upgradable read");
            return;
        }
        rwOccupancy.enter(upgradable);
        pauseInside(random);
        Guard write = null;
        String how;
        try {
            switch (random.nextInt(4)) {
                case 0 -> {
                    how = "parked";
                    write = rwLock.lockUpgrade(check);
                }
                case 1 -> {
                    how = "async";
                    write = rwLock.upgrade(check).toCompletableFuture().join();
                }
                case 2 -> {
                    how = "timed";
                    write = rwLock.lockUpgrade(check, shortTimeout(random));
                }
                default -> {
                    how = "cancelled";
                    CompletableFuture<Guard> upgrade = rwLock.upgrade(check).toCompletableFuture();
                    if (random.nextBoolean()) {
                        Thread.yield();
                    }
                    write = upgrade.cancel(false) ? null : upgrade.join();
                }
            }
        } catch (TimeoutException | InterruptedException e) {
            how = e instanceof TimeoutException ? "timed out" : "interrupted";
        }
        if (write == null) {
            if (check.isReleased()) {
                violations.add(op + " (" + how + "): the upgradable hold was lost with its upgrade");
            }
            rwOccupancy.exit(upgradable);
            check.release();
            count(op, "upgrade withdrawn (" + how + ")");
            return;
        }
        if (!check.isReleased()) {
            violations.add(op + ": the upgradable guard is still live after its upgrade");
        }
        rwOccupancy.grow(upgradable, maxReaders);
        pauseInside(random);
        if (random.nextBoolean()) {
            rwOccupancy.shrink(maxReaders, upgradable);
            Guard back = rwLock.downgradeToUpgradable(write);
            pauseInside(random);
            rwOccupancy.exit(upgradable);
            back.release();
            count(op, "upgraded (" + how + "), then down again");
        } else {
            rwOccupancy.exit(maxReaders);
            write.release();
            count(op, "upgraded (" + how + ")");
        }
    }

    /**
     * Adds 1 or 2 permits to the semaphore, then takes as many out again (forget takes only free
     * permits, so it may need several tries while holders release), one resizing at a time.
     */
    private void addThenForget(Op op, SplittableRandom random) {
        int k = 1 + random.nextInt(2);
        resizing.lock();
        try {
            semaphoreOccupancy.resize(k); // before: the added permits may be granted at once
            semaphore.addPermits(k);
            pauseInside(random);
            int left = k;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (left > 0) {
                int taken = random.nextBoolean() ? semaphore.forgetPermits(left) : drainAtMost(left);
                left -= taken;
                semaphoreOccupancy.resize(-taken); // after: only free permits were taken
                if (left > 0) {
                    if (System.nanoTime() - deadline > 0) {
                        violations.add(op + ": " + left + " added permits never came free to forget: " + semaphore);
                        return;
                    }
                    LockSupport.parkNanos(10_000); // pacing while holders release, not synchronization
                }
            }
            count(op, "added and forgot " + k);
        } finally {
            resizing.unlock();
        }
    }

    /** drainPermits, giving back what it took beyond {@code most} (through addPermits). */
    private int drainAtMost(int most) {
        int drained = semaphore.drainPermits();
        if (drained > most) {
            semaphore.addPermits(drained - most);
            return most;
        }
        return drained;
    }

    /** The section: enter, maybe pause, exit, release (sometimes twice: the second is a no-op). */
    private void hold(Op op, Guard guard, Occupancy occupancy, int n, SplittableRandom random) {
        if (guard.isReleased()) {
            violations.add(op + ": granted a guard that is already released");
        }
        occupancy.enter(n);
        pauseInside(random);
        occupancy.exit(n);
        guard.release();
        if (!guard.isReleased()) {
            violations.add(op + ": guard not released by release()");
        }
        if (random.nextInt(8) == 0) {
            guard.release(); // double release: must do nothing
            count(op, "held, released twice");
        } else {
            count(op, "held");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void interruptSometimes() {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        while (!done) {
            int w = random.nextInt(threads);
            Thread worker = workers.get(w);
            if (worker != null && isInterruptible(w)) {
                worker.interrupt();
                count(Op.MUTEX_INTERRUPTIBLE_LOCK, "interrupts sent (any op)");
            }
            LockSupport.parkNanos(20_000); // pacing, not synchronization
        }
    }

    private void setInterruptible(int worker, boolean value) {
        interruptible[worker] = value;
        interruptible = interruptible; // volatile write publishes the element
    }

    private boolean isInterruptible(int worker) {
        return interruptible[worker];
    }

    private static void pauseInside(SplittableRandom random) {
        switch (random.nextInt(3)) {
            case 0 -> { }
            case 1 -> Thread.yield();
            default -> LockSupport.parkNanos(1_000 + random.nextInt(20_000));
        }
    }

    /** Zero (a try), up to 200 us (usually expires), or up to 20 ms (usually granted). */
    private static Duration shortTimeout(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> Duration.ZERO;
            case 1 -> Duration.ofNanos(random.nextInt(200_000));
            default -> Duration.ofNanos(random.nextInt(20_000_000));
        };
    }

    private static int permits(SplittableRandom random) {
        return 1 + random.nextInt(SEMAPHORE_PERMITS);
    }

    private void count(Op op, String outcome) {
        outcomes.computeIfAbsent(op + " " + outcome, k -> new LongAdder()).increment();
    }

    /** After all workers finished: every grant released, nobody queued, everything free. */
    private List<String> checkEndState() {
        List<String> state = new ArrayList<>();
        for (Occupancy occupancy : List.of(mutexOccupancy, rwOccupancy, semaphoreOccupancy)) {
            if (occupancy.grants() != occupancy.exits() || occupancy.out() != 0) {
                violations.add("grants " + occupancy.grants() + " but exits " + occupancy.exits() + ", " + occupancy.out() + " permits still out");
            }
        }
        check(mutex.queueLength() == 0, "mutex queue not empty: " + mutex);
        check(free(mutex), "mutex not free at the end: " + mutex);
        check(rwLock.queueLength() == 0, "rwlock queue not empty: " + rwLock);
        check(free(rwLock.writeLock()), "rwlock not free at the end: " + rwLock);
        check(semaphore.queueLength() == 0, "semaphore queue not empty: " + semaphore);
        check(semaphore.availablePermits() == SEMAPHORE_PERMITS, "semaphore permits missing: " + semaphore);
        check(semaphore.totalPermits() == SEMAPHORE_PERMITS, "semaphore total changed: " + semaphore);
        state.add(mutex + " " + mutex.stats());
        state.add(rwLock + " " + rwLock.stats());
        state.add(semaphore + " " + semaphore.stats());
        return state;
    }

    private static boolean free(AsyncLock lock) {
        Optional<Guard> guard = lock.tryAcquire();
        guard.ifPresent(Guard::release);
        return guard.isPresent();
    }

    private void check(boolean condition, String violation) {
        if (!condition) {
            violations.add(violation);
        }
    }
}
