package dev.asynclocks.zookeeper;

import dev.asynclocks.AsyncLock;
import dev.asynclocks.Guard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link AsyncLock} contract for a distributed lock, against one real ZooKeeper server in its
 * own JVM: FIFO (within a client and across clients), cancel and timeout (also racing with the
 * grant), interrupts, stale and double release, {@code withLock}, tampering with the stage, bad
 * input. Every test also checks that no waiter znode is left behind.
 *
 * <p>A concrete subclass supplies the lock under test and a <em>blocker</em> that excludes it (the
 * lock itself for an exclusive lock; the write view for the read view). Separate
 * {@link ZkLockClient}s stand for separate JVMs: each has its own session and in-process queue.
 */
abstract class AbstractZkLockContractTest {

    /** Long enough that a loaded machine never loses a session by accident; no test here waits for an expiry. */
    static final Duration SESSION = Duration.ofSeconds(10);

    @RegisterExtension
    static final ZooKeeperProcesses processes = new ZooKeeperProcesses();

    static ZooKeeperProcesses.Server server;
    static Observer observer;
    static final List<ZkLockClient> clients = new ArrayList<>();

    String path;
    ZkLockClient a;
    ZkLockClient b;

    /** The lock under test, as seen through {@code client}. */
    abstract ZkLock lock(ZkLockClient client, String path);

    /** A lock that excludes {@link #lock}, as seen through {@code client}. */
    abstract ZkLock blocker(ZkLockClient client, String path);

    @BeforeAll
    static void startServer() throws Exception {
        server = processes.startServer();
        observer = new Observer(server.connectString());
    }

    @AfterAll
    static void stopObserver() throws Exception {
        clients.forEach(ZkLockClient::close);
        clients.clear();
        if (observer != null) {
            observer.close();
        }
    }

    @BeforeEach
    void fresh(TestInfo info) {
        path = "/contract/" + getClass().getSimpleName() + "/" + info.getTestMethod().orElseThrow().getName()
                + "-" + Math.abs(info.getDisplayName().hashCode());
        a = client();
        b = client();
    }

    @AfterEach
    void nothingLeftBehind() {
        observer.awaitCount(path, 0);
        clients.forEach(ZkLockClient::close);
        clients.clear();
    }

    static ZkLockClient client() {
        ZkLockClient c = ZkLockClient.connect(server.connectString(), SESSION);
        clients.add(c);
        return c;
    }

    ZkLock lock() {
        return lock(a, path);
    }

    /** Holds the blocker from client b (the lock is free): the lock must then wait. */
    FencedGuard hold() {
        return (FencedGuard) Await.value(blocker(b, path).acquire());
    }

    /** Waits until every release reached the ensemble, then checks that another client gets the lock. */
    void assertFree() {
        observer.awaitCount(path, 0);
        Optional<Guard> probe = blocker(client(), path).tryAcquire();
        assertTrue(probe.isPresent(), "the lock should be free");
        probe.get().release();
        observer.awaitCount(path, 0);
    }

    /** After the lock was taken: another client's blocker cannot get in. */
    void assertHeld() {
        assertTrue(blocker(client(), path).tryAcquire().isEmpty(), "the lock should be held");
    }

    /** After the blocker was taken: another client's lock cannot get in. */
    void assertLockExcluded() {
        assertTrue(lock(client(), path).tryAcquire().isEmpty(), "the lock should be excluded");
    }

    // ---- grants -------------------------------------------------------------------------------

    @Test
    void everyStyleTakesAFreeLockWithAnIncreasingToken() throws Exception {
        long last = 0;
        List<Guard> guards = new ArrayList<>();
        guards.add(released(Await.value(lock().acquire())));
        guards.add(released(Await.value(lock().acquire(Duration.ofSeconds(10)))));
        // tries from a fresh client: in the releasing client the release may still be on its way
        // (release is asynchronous; the in-process queue frees when the delete is acknowledged)
        guards.add(released(lock(client(), path).tryAcquire().orElseThrow()));
        guards.add(released(lock().lock()));
        guards.add(released(lock().lock(Duration.ofSeconds(10))));
        guards.add(released(Await.value(lock(client(), path).acquire(Duration.ZERO))));
        for (Guard g : guards) {
            long token = assertInstanceOf(FencedGuard.class, g).fencingToken();
            assertTrue(token > last, "tokens increase: " + token + " after " + last);
            last = token;
            assertTrue(g.isReleased());
        }
    }

    @Test
    void waitsWhileBlockedAndIsGrantedOnRelease() {
        FencedGuard held = hold();
        CompletionStage<Guard> waiting = lock().acquire();
        observer.awaitCount(path, 2);
        assertFalse(waiting.toCompletableFuture().isDone());
        held.release();
        FencedGuard granted = (FencedGuard) Await.value(waiting);
        assertTrue(granted.fencingToken() > held.fencingToken());
        assertHeld();
        released(granted);
    }

    @Test
    void grantsInQueueOrderAcrossClients() {
        FencedGuard held = hold();
        ConcurrentLinkedQueue<Integer> grants = new ConcurrentLinkedQueue<>();
        List<CompletionStage<Void>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            // alternately the lock and its blocker: for a shared view the order is then strict too
            ZkLockClient c = client();
            done.add((i % 2 == 0 ? lock(c, path) : blocker(c, path)).acquire().thenAccept(g -> {
                grants.add(n);
                g.release();
            }));
            observer.awaitCount(path, i + 2);
        }
        held.release();
        done.forEach(Await::value);
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(grants));
    }

    @Test
    void grantsInCallOrderWithinAClient() {
        FencedGuard held = hold();
        ConcurrentLinkedQueue<Integer> grants = new ConcurrentLinkedQueue<>();
        List<CompletionStage<Void>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            done.add(lock().acquire().thenAccept(g -> {
                grants.add(n);
                g.release();
            }));
        }
        observer.awaitCount(path, 2);                      // one waiter znode per client and path
        held.release();
        done.forEach(Await::value);
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(grants));
    }

    @Test
    void tryAcquireNeverBargesAndLeavesNothing() {
        FencedGuard held = hold();
        CompletionStage<Guard> waiting = lock(client(), path).acquire();
        observer.awaitCount(path, 2);
        assertTrue(lock().tryAcquire().isEmpty());
        assertEquals(2, observer.count(path));
        held.release();
        Await.value(waiting).release();
    }

    @Test
    void aReleasedGuardNeverFreesSomebodyElsesHold() {
        Guard first = released(Await.value(lock().acquire()));
        first.release();
        assertTrue(first.isReleased());
        FencedGuard second = hold();
        first.release();
        first.close();
        assertLockExcluded();
        second.release();
    }

    // ---- cancellation and timeouts ------------------------------------------------------------

    @Test
    void cancellingAQueuedAcquisitionDeletesItsZnode() {
        FencedGuard held = hold();
        CompletionStage<Guard> waiting = lock().acquire();
        observer.awaitCount(path, 2);
        assertTrue(waiting.toCompletableFuture().cancel(false));
        observer.awaitCount(path, 1);
        held.release();
        assertFree();
        assertTrue(Await.value(lock().acquire()) instanceof FencedGuard g && release(g));
    }

    @Test
    void cancellingAGrantedAcquisitionDoesNothing() {
        CompletionStage<Guard> granted = lock().acquire();
        Guard guard = Await.value(granted);
        assertFalse(granted.toCompletableFuture().cancel(false));
        assertFalse(granted.toCompletableFuture().complete(null));
        assertHeld();
        guard.release();
    }

    /**
     * A waiter's predecessor is withdrawn while the lock is still held further ahead: the waiter
     * lists again and keeps waiting (only the deletion of the last znode it waits for grants it).
     */
    @Test
    void aWithdrawnWaiterAheadDoesNotGrantTheOneBehind() {
        FencedGuard held = hold();
        // a writer: exclusive whatever the lock under test (mutex and write znodes both are)
        CompletableFuture<Guard> ahead = client().readWriteLock(path).writeLock().acquire().toCompletableFuture();
        observer.awaitCount(path, 2);
        // completions run inline on the client's event thread, in the order of its session's answers
        ZkLockClient inline = ZkLockClient.connect(server.connectString(), SESSION, Runnable::run);
        clients.add(inline);
        CompletableFuture<Guard> behind = lock(inline, path).acquire().toCompletableFuture();
        observer.awaitCount(path, 3);
        assertTrue(ahead.cancel(false));
        observer.awaitCount(path, 2);
        // The deletion's watch event reaches the inline client before the answer to any later
        // request of its session; a wrong grant would have completed 'behind' by then.
        Await.value(inline.mutex(path + "-barrier").acquire()).release();
        assertFalse(behind.isDone(), "granted while the lock is held: " + behind);
        held.release();
        Await.value(behind).release();
        observer.awaitCount(path + "-barrier", 0);
    }

    @Test
    void completingAQueuedAcquisitionWithdrawsIt() {
        FencedGuard held = hold();
        CompletableFuture<Guard> waiting = lock().acquire().toCompletableFuture();
        observer.awaitCount(path, 2);
        assertTrue(waiting.complete(null));
        observer.awaitCount(path, 1);
        held.release();
        assertFree();
    }

    @Test
    void obtrudingAGrantedStageReleasesTheHold() {
        CompletableFuture<Guard> granted = lock().acquire().toCompletableFuture();
        Await.value(granted);
        granted.obtrudeValue(null);
        observer.awaitCount(path, 0);
        assertFree();
    }

    @Test
    void anAsyncTimeoutFailsWithTimeoutExceptionAndDeletesTheZnode() {
        FencedGuard held = hold();
        CompletionStage<Guard> waiting = lock().acquire(Duration.ofMillis(300));
        assertInstanceOf(TimeoutException.class, Await.failure(waiting));
        observer.awaitCount(path, 1);
        held.release();
    }

    @Test
    void aParkedTimeoutThrowsAndDeletesTheZnode() {
        FencedGuard held = hold();
        assertThrows(TimeoutException.class, () -> lock().lock(Duration.ofMillis(300)));
        observer.awaitCount(path, 1);
        held.release();
    }

    @Test
    void aZeroTimeoutIsATry() {
        FencedGuard held = hold();
        assertInstanceOf(TimeoutException.class, Await.failure(lock().acquire(Duration.ZERO)));
        assertThrows(TimeoutException.class, () -> lock().lock(Duration.ZERO));
        assertEquals(1, observer.count(path));
        held.release();
        observer.awaitCount(path, 0);
        Await.value(lock().acquire(Duration.ZERO)).release();
    }

    @Test
    void aHugeTimeoutMeansNoTimeout() throws Exception {
        Await.value(lock().acquire(Duration.ofSeconds(Long.MAX_VALUE))).release();
        lock().lock(Duration.ofSeconds(Long.MAX_VALUE)).release();
    }

    @Test
    void interruptBeforeTheCallThrowsAndCreatesNothing() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock().lock());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock().lock(Duration.ofSeconds(5)));
        assertEquals(0, observer.count(path));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void interruptWhileWaitingThrowsAndDeletesTheZnode(boolean timed) throws Exception {
        FencedGuard held = hold();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                Guard g = timed ? lock().lock(Duration.ofMinutes(1)) : lock().lock();
                g.release();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        observer.awaitCount(path, 2);
        waiter.interrupt();
        waiter.join(Await.LIMIT);
        assertInstanceOf(InterruptedException.class, thrown.get());
        observer.awaitCount(path, 1);
        held.release();
    }

    /** Cancel and grant at the same moment, many times: exactly one wins, nothing is left behind. */
    @Test
    void cancelRacingWithTheGrantHasExactlyOneWinner() {
        Random random = new Random(42);
        int cancelled = 0;
        for (int round = 0; round < 60; round++) {
            FencedGuard held = hold();
            CompletableFuture<Guard> waiting = lock().acquire().toCompletableFuture();
            if (random.nextBoolean()) {
                observer.awaitCount(path, 2);
            }
            held.release();
            LockSupport.parkNanos(random.nextInt(3_000_000));      // a random moment, not a synchronization
            if (waiting.cancel(false)) {
                cancelled++;
                assertTrue(waiting.isCancelled());
            } else {
                Await.value(waiting).release();
            }
            observer.awaitCount(path, 0);
        }
        assertFree();
        System.out.println(getClass().getSimpleName() + ": cancel won " + cancelled + " of 60 races");
    }

    /** Timeouts at random moments, including while the znode is being created: nothing left behind. */
    @Test
    void timeoutsAtRandomMomentsLeaveNothingBehind() {
        FencedGuard held = hold();
        List<ZkLockClient> several = List.of(a, client(), client(), client());
        List<CompletionStage<Guard>> stages = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 100; i++) {
            stages.add(lock(several.get(i % 4), path).acquire(Duration.ofNanos(random.nextInt(5_000_000) + 1)));
        }
        for (CompletionStage<Guard> s : stages) {
            assertInstanceOf(TimeoutException.class, Await.failure(s));
        }
        observer.awaitCount(path, 1);
        held.release();
    }

    // ---- withLock -----------------------------------------------------------------------------

    @Test
    void withLockHoldsUntilTheActionsStageCompletes() {
        CompletableFuture<String> action = new CompletableFuture<>();
        AtomicBoolean ran = new AtomicBoolean();
        CompletionStage<String> result = lock().withLock(() -> {
            ran.set(true);
            return action;
        });
        Await.until("the action runs", ran::get);
        assertHeld();
        action.complete("done");
        assertEquals("done", Await.value(result));
        assertFree();
    }

    @Test
    void withLockReleasesWhenTheActionFailsThrowsOrReturnsNull() {
        RuntimeException boom = new RuntimeException("boom");
        assertEquals(boom, Await.failure(lock().withLock(() -> CompletableFuture.failedFuture(boom))));
        assertFree();
        assertEquals(boom, Await.failure(lock().withLock(() -> { throw boom; })));
        assertFree();
        assertInstanceOf(NullPointerException.class, Await.failure(lock().withLock(() -> null)));
        assertFree();
    }

    @Test
    void cancellingWithLockBeforeTheGrantWithdrawsAndTheActionNeverRuns() {
        FencedGuard held = hold();
        AtomicInteger runs = new AtomicInteger();
        CompletionStage<String> result = lock().withLock(() -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture("x");
        });
        observer.awaitCount(path, 2);
        assertTrue(result.toCompletableFuture().cancel(false));
        observer.awaitCount(path, 1);
        held.release();
        assertFree();
        assertEquals(0, runs.get());
        assertInstanceOf(CancellationException.class, Await.failure(result));
    }

    // ---- bad input ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "locks", "/", "/locks/", "/a//b", "/a/./b", "/a/\u0000"})
    void aMalformedPathIsRejectedNamingIt(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.mutex(bad));
        assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.readWriteLock(bad));
    }

    @Test
    void nullsAndNegativeTimeoutsAreRejected() {
        assertThrows(NullPointerException.class, () -> lock().acquire(null));
        assertThrows(NullPointerException.class, () -> lock().lock(null));
        assertThrows(NullPointerException.class, () -> lock().withLock(null));
        assertThrows(IllegalArgumentException.class, () -> lock().acquire(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> lock().lock(Duration.ofMillis(-1)));
    }

    /** Releases and waits until the release reached the ensemble (release is asynchronous). */
    Guard released(Guard g) {
        g.release();
        observer.awaitCount(path, 0);
        return g;
    }

    private static boolean release(Guard g) {
        g.release();
        return true;
    }
}
