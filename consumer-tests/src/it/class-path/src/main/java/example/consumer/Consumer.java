package example.consumer;

import dev.asynclocks.AsyncLock;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import dev.asynclocks.GuardedMutex;
import dev.asynclocks.GuardedRwLock;
import dev.asynclocks.GuardedValue;
import dev.asynclocks.LockBuilder;
import dev.asynclocks.LockObserver;
import dev.asynclocks.LockStats;
import dev.asynclocks.UpdatableValue;

import java.lang.module.ModuleFinder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user's program: compiled against the asynclocks-core jar alone, it uses every public type
 * (Guard, AsyncLock, AsyncMutex, AsyncRwLock, AsyncSemaphore, LockBuilder and their Builders, LockStats, LockObserver,
 * GuardedValue, UpdatableValue, GuardedMutex, GuardedRwLock) and checks what
 * each call returns. Its argument says how it was started, {@code module-path} or
 * {@code class-path}, and it checks that the library was loaded that way. Any failed check throws,
 * so the JVM exits non-zero and the consumer test fails.
 *
 * <p>Every step is decided by the lock's state, never by timing: the only waits are bounded
 * {@code get}s on stages that must already be, or are about to be, complete.
 */
public final class Consumer {

    private static final long WAIT_SECONDS = 30;

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Consumer module-path|class-path");
        }
        checkHowLoaded(args[0]);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            useMutex(executor);
            useRwLock(executor);
            useSemaphore(executor);
            useGuardedValues();
        }
        System.out.println("asynclocks consumer on the " + args[0] + ": every public type works");
    }

    private static void checkHowLoaded(String path) {
        Module library = Guard.class.getModule();
        Module self = Consumer.class.getModule();
        switch (path) {
            case "module-path" -> {
                check(library.isNamed() && library.getName().equals("dev.asynclocks"),
                        "asynclocks-core is the named module dev.asynclocks (its module-info), was " + library);
                check(self.isNamed() && self.canRead(library), "the consumer module reads dev.asynclocks");
                check(library.isExported("dev.asynclocks"), "dev.asynclocks is exported");
                check(!library.isExported("dev.asynclocks.internal"), "dev.asynclocks.internal is not exported");
                check(library.getDescriptor().requires().stream()
                                .allMatch(r -> ModuleFinder.ofSystem().find(r.name()).isPresent()),
                        "dev.asynclocks requires JDK modules only: " + library.getDescriptor().requires());
            }
            case "class-path" -> {
                check(!library.isNamed(), "asynclocks-core is on the class path, was " + library);
                check(!self.isNamed(), "the consumer is on the class path, was " + self);
            }
            default -> throw new IllegalArgumentException("module-path or class-path, not " + path);
        }
    }

    private static void useMutex(ExecutorService executor) throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        try (Guard guard = mutex.lock()) {
            check(mutex.isLocked(), "lock() holds the mutex");
            check(mutex.tryAcquire().isEmpty(), "tryAcquire() fails while held");
            check(failsWith(mutex.acquire(Duration.ZERO), TimeoutException.class),
                    "acquire(ZERO) on a held mutex fails with TimeoutException");
            check(throwsTimeout(() -> mutex.lock(Duration.ZERO)), "lock(ZERO) on a held mutex throws TimeoutException");

            CompletableFuture<Guard> cancelled = mutex.acquire().toCompletableFuture();
            CompletionStage<Guard> next = mutex.acquire();
            check(mutex.queueLength() == 2, "two acquisitions queue, queueLength " + mutex.queueLength());
            check(cancelled.cancel(false) && mutex.queueLength() == 1, "cancel() withdraws a queued acquisition");

            guard.release();
            check(guard.isReleased(), "release() releases");
            try (Guard handedOver = granted(next)) {
                check(mutex.isLocked(), "release() hands the mutex to the next waiter");
            }
        } // closing a released guard again is a no-op
        check(!mutex.isLocked() && mutex.queueLength() == 0, "free at the end: " + mutex);

        AsyncMutex.Builder builder = AsyncMutex.builder().name("consumer-mutex").executor(executor).maxWaiters(1);
        AsyncMutex bounded = builder.build();
        AsyncLock lock = bounded;
        check(lock.toString().contains("consumer-mutex"), "the builder's name shows: " + lock);
        try (Guard guard = lock.lock(Duration.ofSeconds(WAIT_SECONDS))) {
            check(lock.tryAcquire().isEmpty(), "an AsyncLock view is held too");
            CompletableFuture<Guard> waiter = lock.acquire().toCompletableFuture();
            check(failsWith(lock.acquire(), RejectedExecutionException.class),
                    "maxWaiters(1) rejects a second waiter with RejectedExecutionException");
            check(waiter.cancel(false), "the queued waiter can be cancelled");
        }
        LockStats stats = bounded.stats();
        check(stats.rejections() == 1 && stats.cancellations() == 1 && stats.queueLength() == 0
                && stats.peakQueueLength() == 1, "stats() counts the rejection and the cancellation: " + stats);
        AtomicLong timedHolds = new AtomicLong();
        LockObserver observer = new LockObserver() {
            @Override
            public void waited(long nanos) {
            }

            @Override
            public void held(long nanos) {
                timedHolds.incrementAndGet();
            }
        };
        bounded.bind(observer, 1);
        bounded.lock().release();
        check(timedHolds.get() == 1 && bounded.unbind(observer), "a bound LockObserver times every hold");
        check(bounded.name().equals("consumer-mutex"), "name() is the builder's name");
        Optional<Guard> tried = lock.tryAcquire();
        check(tried.isPresent(), "tryAcquire() succeeds on a free mutex");
        tried.get().close();
        granted(lock.acquire(Duration.ofSeconds(WAIT_SECONDS))).release();
        String result = lock.withLock(() -> CompletableFuture.completedFuture("done"))
                .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        check(result.equals("done") && lock.tryAcquire().map(g -> { g.release(); return true; }).orElse(false),
                "withLock returns the action's result and releases");
    }

    private static void useRwLock(ExecutorService executor) throws Exception {
        AsyncRwLock.Builder builder = AsyncRwLock.builder().name("consumer-rwlock").executor(executor).maxWaiters(16);
        AsyncRwLock rw = builder.build();
        check(rw.toString().contains("consumer-rwlock"), "the builder's name shows: " + rw);
        AsyncLock read = rw.readLock();
        AsyncLock write = rw.writeLock();

        Guard first = read.lock();
        Guard second = read.tryAcquire().orElseThrow();
        check(rw.readers() == 2 && !rw.isWriteLocked(), "two readers share the lock: " + rw);
        CompletionStage<Guard> writer = write.acquire();
        CompletionStage<Guard> lateReader = read.acquire();
        check(rw.queueLength() == 2 && !lateReader.toCompletableFuture().isDone(),
                "a reader arriving while a writer waits queues behind it: " + rw);
        first.release();
        second.release();

        Guard writeGuard = granted(writer);
        check(rw.isWriteLocked() && rw.readers() == 0, "the writer holds the lock alone: " + rw);
        Guard downgraded = rw.downgrade(writeGuard);
        check(writeGuard.isReleased() && !rw.isWriteLocked(), "downgrade() ends the write hold");
        Guard lateGuard = granted(lateReader);
        check(rw.readers() == 2, "the downgraded hold and the waiting reader read together: " + rw);
        downgraded.release();
        lateGuard.release();

        int written = write.withLock(() -> CompletableFuture.completedFuture(rw.isWriteLocked() ? 1 : 0))
                .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        check(written == 1, "withLock on the write view runs the action under the write lock");
        check(new AsyncRwLock().readers() == 0 && rw.readers() == 0 && !rw.isWriteLocked(), "free at the end: " + rw);
        check(rw.stats().peakQueueLength() == 2 && rw.stats().contendedAcquisitions() >= 1,
                "stats() saw the writer and the late reader wait: " + rw.stats());
    }

    private static void useSemaphore(ExecutorService executor) throws Exception {
        AsyncSemaphore.Builder builder = AsyncSemaphore.builder(3).name("consumer-semaphore").executor(executor)
                .maxWaiters(16);
        AsyncSemaphore semaphore = builder.build();
        check(semaphore.toString().contains("consumer-semaphore"), "the builder's name shows: " + semaphore);

        Guard two = semaphore.lock(2);
        check(semaphore.availablePermits() == 1, "lock(2) takes two of three permits");
        check(semaphore.tryAcquire(2).isEmpty(), "tryAcquire(2) fails with one permit free");
        CompletionStage<Guard> waiting = semaphore.acquire(2);
        check(semaphore.queueLength() == 1, "acquire(2) queues");
        check(semaphore.tryAcquire(1).isEmpty(), "tryAcquire(1) never barges past a waiter");
        check(failsWith(semaphore.acquire(1, Duration.ZERO), TimeoutException.class),
                "acquire(1, ZERO) behind a waiter fails with TimeoutException");
        two.release();

        Guard granted = granted(waiting);
        Guard one = semaphore.lock(1, Duration.ofSeconds(WAIT_SECONDS));
        check(semaphore.availablePermits() == 0, "all three permits held");
        check(throwsTimeout(() -> semaphore.lock(1, Duration.ZERO)),
                "lock(1, ZERO) with no permit throws TimeoutException");
        granted.release();
        one.release();

        int inside = semaphore.withPermits(3, () -> CompletableFuture.completedFuture(semaphore.availablePermits()))
                .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        check(inside == 0, "withPermits(3) holds all permits while the action runs");
        check(semaphore.availablePermits() == 3 && semaphore.stats().queueLength() == 0,
                "free at the end: " + semaphore);

        AsyncSemaphore single = new AsyncSemaphore(1);
        try (Guard guard = single.lock(1)) {
            check(single.availablePermits() == 0, "new AsyncSemaphore(1) has one permit");
        }
    }

    /** Any lock's builder, through the shared base: the setters return the concrete builder. */
    private static <B extends LockBuilder<B>> B named(B builder, String name) {
        return builder.name(name).maxWaiters(100);
    }

    private static void useGuardedValues() throws Exception {
        AsyncMutex mutex = named(AsyncMutex.builder(), "consumer-guarded").build();
        GuardedMutex<Integer> counter = new GuardedMutex<>(mutex, 0);
        UpdatableValue<Integer> updatable = counter;
        updatable.update(n -> n + 1);
        updatable.update(Duration.ofSeconds(WAIT_SECONDS), n -> n + 1);
        updatable.updateAsync(n -> n + 1).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        int three = counter.apply(n -> n);
        check(three == 3, "three updates of a GuardedMutex add up to 3, was " + three);
        check(counter.toString().contains("consumer-guarded") && !mutex.isLocked(),
                "a GuardedMutex shows its mutex's name and releases it: " + counter);
        try (Guard held = mutex.lock()) {
            counter.apply(Duration.ZERO, n -> n);
            check(false, "apply(ZERO) on a held GuardedMutex throws TimeoutException");
        } catch (TimeoutException expected) {
            check(!mutex.isLocked(), "a timed-out section leaves nothing held");
        }

        GuardedRwLock<Map<String, String>> routes =
                new GuardedRwLock<>(named(AsyncRwLock.builder(), "consumer-routes").build(), Map.of());
        routes.write().update(table -> Map.of("search", "backend-1"));
        GuardedValue<Map<String, String>> read = routes.read();
        String target = read.apply(table -> table.get("search"));
        Integer size = read.applyAsync(Map::size).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        String viaLogicSection = read.withValue(table -> CompletableFuture.completedFuture(table.get("search")))
                .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        check("backend-1".equals(target) && size == 1 && "backend-1".equals(viaLogicSection),
                "a GuardedRwLock's readers see what its writer put there");
        check(!(read instanceof UpdatableValue<?>), "the read view of a GuardedRwLock cannot update");

        AsyncSemaphore budget = named(AsyncSemaphore.builder(3), "consumer-budget").build();
        AsyncLock two = budget.asLock(2);
        try (Guard guard = two.lock()) {
            check(budget.availablePermits() == 1 && two.tryAcquire().isEmpty(),
                    "asLock(2) takes two of three permits, and a second hold does not fit");
        }
        check(budget.availablePermits() == 3, "asLock's guard gives the permits back: " + budget);
    }

    private static Guard granted(CompletionStage<Guard> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static boolean failsWith(CompletionStage<?> stage, Class<? extends Throwable> cause) throws Exception {
        try {
            stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return cause.isInstance(e.getCause());
        }
    }

    private interface Locking {
        Guard lock() throws InterruptedException, TimeoutException;
    }

    private static boolean throwsTimeout(Locking locking) throws InterruptedException {
        try {
            locking.lock().release();
            return false;
        } catch (TimeoutException expected) {
            return true;
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("asynclocks consumer: expected " + what);
        }
    }
}
