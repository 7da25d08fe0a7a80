package dev.asynclocks.examples.guide;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;
import dev.asynclocks.GuardedMutex;
import dev.asynclocks.GuardedRwLock;
import dev.asynclocks.LockClosedException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java snippets of docs/guide.md, except the migration ones ({@link MigrationSnippetsTest}).
 * Each {@code // tag::name[]} ... {@code // end::name[]} region is copied into the guide verbatim,
 * and {@link GuideSnippetsInSyncTest} fails when the two differ. Every snippet runs here, and the
 * behaviour the guide claims for it is asserted around it.
 */
class GuideSnippetsTest {

    private final AsyncMutex accounts = new AsyncMutex();
    private long balance;

    @Test
    void dataSectionOnVirtualThreads() throws Exception {
        long amount = 3;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                threads.submit(() -> {
                    // tag::data-section[]
                    try (Guard guard = accounts.lock()) {   // parks this virtual thread if needed, never its carrier
                        balance += amount;                   // short and predictable: no I/O, no callbacks
                    }
                    // end::data-section[]
                    return null;
                });
            }
        }
        assertEquals(3000, balance);
    }

    @Test
    void dataSectionInCompletionStageCode() {
        long amount = 5;
        // tag::data-section-async[]
        CompletionStage<Long> newBalance = accounts.acquire().thenApply(guard -> {
            try (guard) {
                balance += amount;
                return balance;
            }
        });
        // end::data-section-async[]
        assertEquals(5, newBalance.toCompletableFuture().join());
        assertFalse(accounts.isLocked());
    }

    private final AsyncMutex tokenLock = new AsyncMutex();
    private final Map<String, String> cache = new HashMap<>();   // guarded by tokenLock
    private final AtomicInteger fetches = new AtomicInteger();

    /** A slow remote call: answers a few milliseconds later, on another thread. */
    private CompletableFuture<String> fetchToken() {
        return CompletableFuture.supplyAsync(() -> "token-" + fetches.incrementAndGet(),
                CompletableFuture.delayedExecutor(5, java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    private CompletionStage<String> token() {
        // tag::logic-section[]
        return tokenLock.withLock(() -> {                     // held until the returned stage completes
            String cached = cache.get("token");
            if (cached != null) {
                return CompletableFuture.completedFuture(cached);
            }
            return fetchToken().thenApply(fresh -> {          // I/O inside the section
                cache.put("token", fresh);
                return fresh;
            });
        });
        // end::logic-section[]
    }

    @Test
    void logicSectionHeldAcrossAsyncIoFetchesOnce() {
        assertAHundredCallersFetchOnce(this::token);
    }

    private void assertAHundredCallersFetchOnce(Supplier<CompletionStage<String>> token) {
        List<CompletableFuture<String>> callers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            callers.add(token.get().toCompletableFuture());
        }
        for (CompletableFuture<String> caller : callers) {
            assertEquals("token-1", caller.join());
        }
        assertEquals(1, fetches.get(), "the 99 callers behind the first waited for its fetch instead of fetching");
    }

    record Account(String owner, long balance) {
        Account deposit(long amount) {
            return new Account(owner, balance + amount);
        }
    }

    @Test
    void aGuardedMutexOwnsItsValue() throws Exception {
        long amount = 7;
        // tag::guarded-mutex[]
        GuardedMutex<Account> account = new GuardedMutex<>(new Account("ada", 0));

        account.update(a -> a.deposit(amount));          // read, compute, replace: one section
        long balance = account.apply(Account::balance);  // only the result leaves the section
        // end::guarded-mutex[]
        assertEquals(7, balance);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                threads.submit(() -> {
                    account.update(a -> a.deposit(1));
                    return null;
                });
            }
        }
        long total = account.apply(Account::balance);
        assertEquals(1007, total, "no deposit lost");
    }

    @Test
    void aGuardedRwLockSharesReadsAndReplacesOnWrite() throws Exception {
        String service = "search";
        URI backend = URI.create("http://127.0.0.1:8081");
        // tag::guarded-rwlock[]
        GuardedRwLock<Map<String, URI>> routes = new GuardedRwLock<>(Map.of());

        routes.write().update(table -> {                  // copy, change, replace, under the write lock
            Map<String, URI> next = new HashMap<>(table);
            next.put(service, backend);
            return Map.copyOf(next);
        });
        Optional<URI> target = routes.read().apply(table -> Optional.ofNullable(table.get(service)));
        // end::guarded-rwlock[]
        assertEquals(Optional.of(backend), target);
        assertEquals(Optional.empty(), routes.read().apply(table -> Optional.ofNullable(table.get("other"))));
    }

    private final GuardedMutex<Map<String, String>> tokens = new GuardedMutex<>(new HashMap<>());

    private CompletionStage<String> guardedToken() {
        // tag::guarded-logic-section[]
        return tokens.withValue(cache -> {                 // the lock is held until the stage completes...
            String cached = cache.get("token");
            if (cached != null) {
                return CompletableFuture.completedFuture(cached);
            }
            return fetchToken().thenApply(fresh -> {
                cache.put("token", fresh);                 // ...so the I/O's continuation may still use the map
                return fresh;
            });
        });
        // end::guarded-logic-section[]
    }

    @Test
    void aGuardedLogicSectionFetchesOnce() {
        assertAHundredCallersFetchOnce(this::guardedToken);
    }

    @Test
    void aStaleGuardReleasesNothing() throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        // tag::stale-guard[]
        Guard first = mutex.lock();
        first.release();
        Guard second = mutex.lock();
        first.release();                   // stale: a no-op; it cannot free `second`'s hold
        assertTrue(mutex.isLocked());
        second.release();
        // end::stale-guard[]
        assertFalse(mutex.isLocked());
    }

    @Test
    void aReleaseHandsTheLockStraightToTheHeadOfTheQueue() throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        // tag::fifo-hand-off[]
        Guard holder = mutex.lock();
        CompletableFuture<Guard> waiter = mutex.acquire().toCompletableFuture();   // queued
        holder.release();                         // hands the lock to the waiter...
        assertTrue(mutex.tryAcquire().isEmpty()); // ...so nobody can barge in, not even a try
        assertTrue(waiter.isDone());
        waiter.join().release();
        // end::fifo-hand-off[]
        assertFalse(mutex.isLocked());
    }

    private static String buildReport() {
        return "report";
    }

    @Test
    void cancelTheAcquisitionNotAStageDerivedFromIt() throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        Guard holder = mutex.lock();
        // tag::cancel-derived[]
        CompletableFuture<Guard> acquisition = mutex.acquire().toCompletableFuture(); // cancel this one
        CompletionStage<String> report = acquisition.thenApply(guard -> {
            try (guard) {
                return buildReport();
            }
        });
        // ... the caller loses interest:
        acquisition.cancel(false); // withdraws it; report.toCompletableFuture().cancel(false) would not
        // end::cancel-derived[]
        assertTrue(report.toCompletableFuture().isCompletedExceptionally());
        assertEquals(0, mutex.queueLength(), "withdrawn from the queue");
        holder.release();
        assertFalse(mutex.isLocked());

        // The pitfall: cancelling the derived stage leaves the acquisition queued; it is granted to
        // nobody who will release it.
        holder = mutex.lock();
        CompletableFuture<Guard> queued = mutex.acquire().toCompletableFuture();
        CompletableFuture<String> derived = queued.thenApply(guard -> "never runs");
        assertTrue(derived.cancel(false));
        assertEquals(1, mutex.queueLength(), "the acquisition itself is still queued");
        holder.release();
        assertTrue(mutex.isLocked(), "granted to the acquisition whose only dependent was cancelled");
        queued.join().release(); // the test still has it; a real caller that dropped it would leak the lock
    }

    @Test
    void cancellingAQueuedAcquisitionWithdrawsIt() throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        Guard holder = mutex.lock();
        // tag::cancel[]
        CompletableFuture<Guard> pending = mutex.acquire().toCompletableFuture();
        // ... the caller loses interest:
        if (!pending.cancel(false)) {
            pending.join().release();      // too late: it was granted first, so the guard is ours to release
        }
        // end::cancel[]
        assertTrue(pending.isCancelled());
        assertEquals(0, mutex.queueLength(), "withdrawn from the queue");
        holder.release();
        assertFalse(mutex.isLocked(), "the release did not hand the lock to the cancelled acquisition");

        // And when the grant wins the race, cancel() returns false and the guard must be released.
        CompletableFuture<Guard> granted = mutex.acquire().toCompletableFuture();
        assertFalse(granted.cancel(false));
        granted.join().release();
        assertFalse(mutex.isLocked());
    }

    private String refreshWithin(AsyncMutex mutex, Duration patience) {
        // tag::timeout-async[]
        CompletionStage<String> outcome = mutex.acquire(patience).handle((guard, failure) -> {
            if (failure instanceof TimeoutException) {
                return "busy, try later";          // not granted in time: nothing held, nothing queued
            }
            try (guard) {
                return "refreshed";
            }
        });
        // end::timeout-async[]
        return outcome.toCompletableFuture().join();
    }

    private String refreshWithinBlocking(AsyncMutex mutex, Duration patience) throws InterruptedException {
        // tag::timeout-blocking[]
        try (Guard guard = mutex.lock(patience)) {
            return "refreshed";
        } catch (TimeoutException e) {
            return "busy, try later";
        }
        // end::timeout-blocking[]
    }

    @Test
    void timeoutsFailWithTimeoutExceptionAndLeaveNothingBehind() throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        assertEquals("refreshed", refreshWithin(mutex, Duration.ofMillis(10)));
        assertEquals("refreshed", refreshWithinBlocking(mutex, Duration.ZERO));
        try (Guard held = mutex.lock()) {
            assertEquals("busy, try later", refreshWithin(mutex, Duration.ofMillis(10)));
            assertEquals("busy, try later", refreshWithin(mutex, Duration.ZERO));
            assertEquals("busy, try later", refreshWithinBlocking(mutex, Duration.ofMillis(10)));
            assertEquals(0, mutex.queueLength());
        }
        assertFalse(mutex.isLocked());
    }

    @Test
    void anUpgradableReadChecksThenWritesWithoutAGap() throws Exception {
        AsyncRwLock lock = AsyncRwLock.builder().name("routes").build();
        Map<String, URI> routes = new HashMap<>();
        Guard reader = lock.readLock().lock(); // a request reading meanwhile
        CompletableFuture<Void> setUp = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                // tag::upgradable-read[]
                try (Guard check = lock.upgradableReadLock().lock()) {      // plain readers keep reading
                    if (!routes.containsKey("api")) {                       // check...
                        try (Guard write = lock.lockUpgrade(check)) {       // ...wait for the readers to leave...
                            routes.put("api", URI.create("http://10.0.0.7")); // ...write: nobody wrote in between
                        }
                    }
                }
                // end::upgradable-read[]
                setUp.complete(null);
            } catch (Throwable t) {
                setUp.completeExceptionally(t);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (lock.queueLength() == 0 && !setUp.isDone()) { // the upgrade queues behind our read
            assertTrue(System.nanoTime() < deadline, "the upgrade never queued");
            Thread.onSpinWait();
        }
        assertFalse(setUp.isDone(), "the upgrade waits for the plain reader");
        assertTrue(lock.writeLock().tryAcquire().isEmpty(), "and no writer gets in meanwhile");
        reader.release();
        setUp.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(URI.create("http://10.0.0.7"), routes.get("api"));
        assertEquals(0, lock.readers());
        assertFalse(lock.isWriteLocked());
    }

    @Test
    void aSemaphoreStartsAsAGateAndGrowsAndShrinks() {
        List<String> log = new ArrayList<>();
        // tag::semaphore-capacity[]
        AsyncSemaphore warmedUp = new AsyncSemaphore(0);               // a gate: every request waits
        CompletionStage<Void> served = warmedUp.acquire(1).thenAccept(guard -> {
            try (guard) {
                log.add("served after warm-up");
            }
        });
        warmedUp.addPermits(8);                     // open, for 8 at a time: the queue is granted in order
        // ... later, under memory pressure:
        int taken = warmedUp.forgetPermits(4);      // up to 4 free permits leave circulation
        // warmedUp.totalPermits() is now 8 - taken; held permits come back when their guards are released
        // end::semaphore-capacity[]
        served.toCompletableFuture().join();
        assertEquals(List.of("served after warm-up"), log);
        assertEquals(4, taken);
        assertEquals(4, warmedUp.totalPermits());
        assertEquals(4, warmedUp.availablePermits());
        assertEquals(4, warmedUp.drainPermits());
        assertEquals(0, warmedUp.totalPermits());
    }

    @Test
    void aClosedLockFailsItsWaitersAndLaterAcquisitionsButLiveGuardsStillRelease() throws Exception {
        AsyncRwLock routes = AsyncRwLock.builder().name("routes").build();
        Guard writer = routes.writeLock().lock(); // a reload in progress: the read below waits
        // tag::close[]
        CompletionStage<String> answer = routes.readLock().acquire().handle((read, failure) -> {
            if (failure instanceof LockClosedException) {
                return "503 Service Unavailable";  // closed while waiting, or before: nothing held
            } else if (failure != null) {
                return "500 Internal Server Error";
            }
            try (read) {
                return "200 OK";
            }
        });
        // ... on shutdown, elsewhere:
        routes.close(new IllegalStateException("router shutting down"));
        // end::close[]
        assertEquals("503 Service Unavailable", answer.toCompletableFuture().join());
        writer.release(); // the reload finishes normally
        assertTrue(writer.isReleased());
        assertTrue(routes.isClosed());
        LockClosedException later = assertThrows(LockClosedException.class, () -> routes.writeLock().lock());
        assertEquals("AsyncRwLock 'routes' is closed (java.lang.IllegalStateException: router shutting down)",
                later.getMessage());
    }

    @Test
    void aReaderThatReadsAgainWhileAWriterWaitsDeadlocks() throws Exception {
        AsyncRwLock routes = new AsyncRwLock();
        // tag::reader-reacquire[]
        Guard outerRead = routes.readLock().lock();
        CompletableFuture<Guard> writer = routes.writeLock().acquire().toCompletableFuture(); // waits for outerRead
        // Deeper in the same request, the read lock is taken again: it queues behind the writer,
        // which waits for outerRead. Without the timeout, this line would wait forever.
        assertThrows(TimeoutException.class, () -> routes.readLock().lock(Duration.ofMillis(20)));
        outerRead.release();
        writer.join().release();
        // end::reader-reacquire[]
        assertEquals(0, routes.readers());
        assertFalse(routes.isWriteLocked());
    }

    @Test
    void aMutexIsNotReentrant() throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        // tag::not-reentrant[]
        try (Guard outer = mutex.lock()) {
            assertTrue(mutex.tryAcquire().isEmpty());   // the holder's own second acquisition fails...
            // mutex.lock() here would wait for `outer`, forever
        }
        // end::not-reentrant[]
    }

    @Test
    void detectSelfDeadlockTurnsTheReReadBehindAWriterIntoAnException() throws Exception {
        // tag::detect-self-deadlock[]
        AsyncRwLock routes = AsyncRwLock.builder().name("routes").detectSelfDeadlock().build();
        Guard outerRead = routes.readLock().lock();
        CompletableFuture<Guard> writer = routes.writeLock().acquire().toCompletableFuture();
        IllegalStateException bug = assertThrows(IllegalStateException.class, () -> routes.readLock().lock());
        // "AsyncRwLock 'routes': lock() would wait forever: the calling thread holds 1 of its permits, ..."
        // end::detect-self-deadlock[]
        assertTrue(bug.getMessage().startsWith("AsyncRwLock 'routes': lock() would wait forever"), bug.getMessage());
        outerRead.release();
        writer.join().release();
    }

    @Test
    void aGrantedContinuationRunsOnTheReleasingThread() throws Exception {
        AsyncMutex mutex = new AsyncMutex();
        // tag::continuation-thread[]
        Guard held = mutex.lock();
        CompletionStage<String> ranOn = mutex.acquire().thenApply(guard -> {
            try (guard) {
                return Thread.currentThread().getName();
            }
        });
        Thread.ofVirtual().name("releaser").start(held::release).join();   // any thread may release
        assertEquals("releaser", ranOn.toCompletableFuture().join());       // ran inside held.release()
        // end::continuation-thread[]
    }

    @Test
    void aBuilderExecutorRunsGrantedContinuations() throws Exception {
        ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
        // tag::continuation-executor[]
        ExecutorService continuations = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("cache-continuation-", 0).factory());
        AsyncMutex mutex = AsyncMutex.builder().name("cache").executor(continuations).build();
        // end::continuation-executor[]
        try (continuations) {
            Guard held = mutex.lock();
            CountDownLatch ran = new CountDownLatch(1);
            mutex.acquire().thenAccept(guard -> {
                try (guard) {
                    seen.put(Thread.currentThread().getName(), true);
                    ran.countDown();
                }
            });
            held.release();
            ran.await();
        }
        assertEquals(List.of("cache-continuation-0"), List.copyOf(seen.keySet()));
    }
}
