package dev.asynclocks.examples.guide;

import com.ibm.asyncutil.locks.AsyncLock;
import com.ibm.asyncutil.locks.FairAsyncLock;
import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import kotlin.Unit;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.sync.Mutex;
import kotlinx.coroutines.sync.MutexKt;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "before" and "after" of each migration in docs/guide.md, compiled and run: each pair must
 * behave the same. The {@code // tag::name[]} regions are copied into the guide verbatim
 * ({@link GuideSnippetsInSyncTest} checks).
 */
class MigrationSnippetsTest {

    /** A remote service that takes a moment to answer; counts its calls. */
    static final class Remote {
        final AtomicInteger calls = new AtomicInteger();

        String fetchToken() throws InterruptedException {
            Thread.sleep(2);                        // the simulated latency of a blocking call
            return "token-" + calls.incrementAndGet();
        }

        CompletableFuture<String> fetchTokenAsync() {
            return CompletableFuture.supplyAsync(() -> "token-" + calls.incrementAndGet(),
                    CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS));
        }
    }

    // ---- synchronized ----------------------------------------------------------------------

    // tag::synchronized-before[]
    static final class SynchronizedTokenCache {
        private final Remote remote;
        private String token;                       // guarded by this

        SynchronizedTokenCache(Remote remote) {
            this.remote = remote;
        }

        synchronized String token() throws InterruptedException {
            if (token == null) {
                token = remote.fetchToken();        // blocks inside the monitor: pins the carrier on JDK 21-23
            }
            return token;
        }
    }
    // end::synchronized-before[]

    // tag::synchronized-after[]
    static final class MutexTokenCache {
        private final Remote remote;
        private final AsyncMutex lock = new AsyncMutex();
        private String token;                       // guarded by lock

        MutexTokenCache(Remote remote) {
            this.remote = remote;
        }

        String token() throws InterruptedException {
            try (Guard guard = lock.lock()) {       // parks the virtual thread, never pins
                if (token == null) {
                    token = remote.fetchToken();
                }
                return token;
            }
        }
    }
    // end::synchronized-after[]

    interface TokenSource {
        String token() throws InterruptedException;
    }

    private static void assertFetchedOnceBy100VirtualThreads(Remote remote, TokenSource cache) throws Exception {
        List<java.util.concurrent.Future<String>> tokens = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                tokens.add(threads.submit(cache::token));
            }
        }
        for (var token : tokens) {
            assertEquals("token-1", token.get());
        }
        assertEquals(1, remote.calls.get());
    }

    @Test
    void synchronizedAndAsyncMutexBehaveAlike() throws Exception {
        Remote before = new Remote();
        assertFetchedOnceBy100VirtualThreads(before, new SynchronizedTokenCache(before)::token);
        Remote after = new Remote();
        assertFetchedOnceBy100VirtualThreads(after, new MutexTokenCache(after)::token);
    }

    // ---- ReentrantLock ---------------------------------------------------------------------

    private final Map<String, Long> balances = new HashMap<>();

    void depositBefore(ReentrantLock lock, String account, long amount) throws InterruptedException {
        // tag::reentrantlock-before[]
        if (!lock.tryLock(100, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("accounts busy");
        }
        try {
            balances.merge(account, amount, Long::sum);
        } finally {
            lock.unlock();
        }
        // end::reentrantlock-before[]
    }

    void depositAfter(AsyncMutex lock, String account, long amount) throws InterruptedException {
        // tag::reentrantlock-after[]
        try (Guard guard = lock.lock(Duration.ofMillis(100))) {
            balances.merge(account, amount, Long::sum);
        } catch (TimeoutException e) {
            throw new IllegalStateException("accounts busy", e);
        }
        // end::reentrantlock-after[]
    }

    @Test
    void reentrantLockAndAsyncMutexBehaveAlike() throws Exception {
        ReentrantLock jdkLock = new ReentrantLock(true);
        AsyncMutex mutex = new AsyncMutex();
        depositBefore(jdkLock, "ann", 10);
        depositAfter(mutex, "ann", 5);
        assertEquals(15L, balances.get("ann"));

        Thread other = Thread.ofVirtual().start(jdkLock::lock);           // holds it, never unlocks
        other.join();
        assertThrows(IllegalStateException.class, () -> depositBefore(jdkLock, "ann", 1));
        try (Guard held = mutex.lock()) {
            assertThrows(IllegalStateException.class, () -> depositAfter(mutex, "ann", 1));
        }
        assertEquals(15L, balances.get("ann"));
    }

    // ---- ReentrantReadWriteLock ------------------------------------------------------------

    // tag::rwlock-before[]
    static final class JdkRoutes {
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private final Map<String, String> routes = new HashMap<>();

        Optional<String> lookup(String service) {
            lock.readLock().lock();
            try {
                return Optional.ofNullable(routes.get(service));
            } finally {
                lock.readLock().unlock();
            }
        }

        String putAndRead(String service, String target) {
            lock.writeLock().lock();
            try {
                routes.put(service, target);
                lock.readLock().lock();             // downgrade: take the read lock, then drop the write lock
            } finally {
                lock.writeLock().unlock();
            }
            try {
                return routes.get(service);
            } finally {
                lock.readLock().unlock();
            }
        }
    }
    // end::rwlock-before[]

    // tag::rwlock-after[]
    static final class AsyncRoutes {
        private final AsyncRwLock lock = new AsyncRwLock();
        private final Map<String, String> routes = new HashMap<>();

        Optional<String> lookup(String service) throws InterruptedException {
            try (Guard read = lock.readLock().lock()) {
                return Optional.ofNullable(routes.get(service));
            }
        }

        String putAndRead(String service, String target) throws InterruptedException {
            Guard write = lock.writeLock().lock();
            try {
                routes.put(service, target);
            } catch (RuntimeException e) {
                write.release();
                throw e;
            }
            try (Guard read = lock.downgrade(write)) {  // atomically: no writer can get in between
                return routes.get(service);
            }
        }
    }
    // end::rwlock-after[]

    @Test
    void reentrantReadWriteLockAndAsyncRwLockBehaveAlike() throws Exception {
        JdkRoutes before = new JdkRoutes();
        AsyncRoutes after = new AsyncRoutes();
        assertEquals(Optional.empty(), before.lookup("api"));
        assertEquals(Optional.empty(), after.lookup("api"));
        assertEquals("http://a", before.putAndRead("api", "http://a"));
        assertEquals("http://a", after.putAndRead("api", "http://a"));
        assertEquals(Optional.of("http://a"), before.lookup("api"));
        assertEquals(Optional.of("http://a"), after.lookup("api"));
        assertEquals(0, before.lock.getReadLockCount());
        assertFalse(before.lock.isWriteLocked());
        assertEquals(0, after.lock.readers());
        assertFalse(after.lock.isWriteLocked());
    }

    // ---- IBM async-util --------------------------------------------------------------------

    CompletionStage<String> refreshBefore(FairAsyncLock lock, Remote remote) {
        // tag::asyncutil-before[]
        return lock.acquireLock().thenCompose(token ->
                remote.fetchTokenAsync().whenComplete((fresh, failure) -> token.releaseLock()));
        // end::asyncutil-before[]
    }

    CompletionStage<String> refreshAfter(AsyncMutex lock, Remote remote) {
        // tag::asyncutil-after[]
        return lock.withLock(() -> remote.fetchTokenAsync());   // released however the stage completes
        // end::asyncutil-after[]
    }

    CompletionStage<String> tryBefore(FairAsyncLock lock) {
        // tag::asyncutil-try-before[]
        Optional<AsyncLock.LockToken> token = lock.tryLock();
        if (token.isEmpty()) {
            return CompletableFuture.completedFuture("busy");
        }
        try (AsyncLock.LockToken held = token.get()) {
            return CompletableFuture.completedFuture("done");
        }
        // end::asyncutil-try-before[]
    }

    CompletionStage<String> tryAfter(AsyncMutex lock) {
        // tag::asyncutil-try-after[]
        Optional<Guard> guard = lock.tryAcquire();
        if (guard.isEmpty()) {
            return CompletableFuture.completedFuture("busy");
        }
        try (Guard held = guard.get()) {
            return CompletableFuture.completedFuture("done");
        }
        // end::asyncutil-try-after[]
    }

    @Test
    void asyncUtilFairAsyncLockAndAsyncMutexBehaveAlike() {
        Remote remote = new Remote();
        FairAsyncLock before = new FairAsyncLock();
        AsyncMutex after = new AsyncMutex();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            results.add(refreshBefore(before, remote).toCompletableFuture());
            results.add(refreshAfter(after, remote).toCompletableFuture());
        }
        results.forEach(CompletableFuture::join);
        assertEquals(20, remote.calls.get());
        assertEquals("done", tryBefore(before).toCompletableFuture().join());
        assertEquals("done", tryAfter(after).toCompletableFuture().join());
        assertFalse(after.isLocked());
    }

    /**
     * Why the migration matters: async-util's {@code acquireLock()} returns its own queue node, so
     * a caller's {@code cancel} of a queued acquisition leaves the lock unusable; ours withdraws it.
     * (This documents async-util 0.1.0 as it is; if a later version fixes it, drop the first half.)
     */
    @Test
    void cancellingAQueuedAcquisitionBreaksFairAsyncLockButNotAsyncMutex() {
        FairAsyncLock before = new FairAsyncLock();
        AsyncLock.LockToken holder = before.tryLock().orElseThrow();
        CompletableFuture<AsyncLock.LockToken> queued = before.acquireLock().toCompletableFuture();
        queued.cancel(false);
        holder.releaseLock();
        assertTrue(before.tryLock().isEmpty(), "async-util: the lock passed to the cancelled node and is lost");

        AsyncMutex after = new AsyncMutex();
        Guard held = after.tryAcquire().orElseThrow();
        CompletableFuture<Guard> withdrawn = after.acquire().toCompletableFuture();
        withdrawn.cancel(false);
        held.release();
        assertTrue(after.tryAcquire().isPresent(), "asynclocks: the cancelled acquisition left the queue");
    }

    // ---- kotlinx.coroutines Mutex ----------------------------------------------------------

    private long balance;

    void addBefore(Mutex mutex, long amount) throws InterruptedException {
        // tag::kotlinx-before[]
        // Kotlin:  mutex.withLock { balance += amount }   (inside a coroutine)
        // The same from Java, blocking this thread until the coroutine is done:
        BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (scope, continuation) ->
                MutexKt.withLock(mutex, null, () -> {
                    balance += amount;
                    return Unit.INSTANCE;
                }, continuation));
        // end::kotlinx-before[]
    }

    void addAfter(AsyncMutex mutex, long amount) throws InterruptedException {
        // tag::kotlinx-after[]
        try (Guard guard = mutex.lock()) {          // on a virtual thread: parks, like a suspension
            balance += amount;
        }
        // end::kotlinx-after[]
    }

    boolean tryAddBefore(Mutex mutex, long amount) {
        // tag::kotlinx-try-before[]
        if (!mutex.tryLock(null)) {
            return false;
        }
        try {
            balance += amount;
        } finally {
            mutex.unlock(null);
        }
        return true;
        // end::kotlinx-try-before[]
    }

    boolean tryAddAfter(AsyncMutex mutex, long amount) {
        // tag::kotlinx-try-after[]
        Optional<Guard> guard = mutex.tryAcquire();
        if (guard.isEmpty()) {
            return false;
        }
        try (Guard held = guard.get()) {
            balance += amount;
        }
        return true;
        // end::kotlinx-try-after[]
    }

    @Test
    void kotlinxMutexAndAsyncMutexBehaveAlike() throws Exception {
        Mutex before = MutexKt.Mutex(false);
        AsyncMutex after = new AsyncMutex();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                threads.submit(() -> {
                    addBefore(before, 1);
                    return null;
                });
            }
        }
        assertEquals(200, balance);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                threads.submit(() -> {
                    addAfter(after, 1);
                    return null;
                });
            }
        }
        assertEquals(400, balance);
        assertTrue(tryAddBefore(before, 1));
        assertTrue(tryAddAfter(after, 1));
        assertEquals(402, balance);
        assertFalse(before.isLocked());
        assertFalse(after.isLocked());
    }
}
