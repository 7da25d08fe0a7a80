package dev.asynclocks.benchmarks.report;

import java.awt.Color;
import java.util.List;
import java.util.Map;

/**
 * Display names for benchmark methods, and which contenders are ours. Benchmark methods are named
 * {@code <lock><How>} across all classes, so one table serves every scenario.
 *
 * {@snippet :
 * String label = Contenders.label("asyncMutexLock"); // "AsyncMutex lock()"
 * }
 */
final class Contenders {

    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("reentrantLock", "ReentrantLock"),
            Map.entry("reentrantLockFair", "ReentrantLock (fair)"),
            Map.entry("reentrantReadWriteLock", "ReentrantReadWriteLock"),
            Map.entry("reentrantReadWriteLockFair", "ReentrantReadWriteLock (fair)"),
            Map.entry("reentrantReadWriteLockRead", "ReentrantReadWriteLock read"),
            Map.entry("reentrantReadWriteLockWrite", "ReentrantReadWriteLock write"),
            Map.entry("semaphore", "Semaphore(1)"),
            Map.entry("stampedLockWrite", "StampedLock write"),
            Map.entry("casPlusCompletedFuture", "reference: CAS + completedFuture"),
            Map.entry("ibmFairAsyncLock", "IBM FairAsyncLock"),
            Map.entry("ibmFairAsyncLockJoin", "IBM FairAsyncLock (join)"),
            Map.entry("ibmFairAsyncLockChain", "IBM FairAsyncLock (async chain)"),
            Map.entry("ibmFairAsyncLockAsyncDelay", "IBM FairAsyncLock + async delay"),
            Map.entry("ibmFairAsyncReadWriteLockRead", "IBM FairAsyncReadWriteLock read"),
            Map.entry("ibmFairAsyncReadWriteLockJoin", "IBM FairAsyncReadWriteLock (join)"),
            Map.entry("ibmFairAsyncSemaphore", "IBM FairAsyncSemaphore"),
            Map.entry("kotlinxMutex", "kotlinx Mutex (suspended lock)"),
            Map.entry("kotlinxMutexTryLock", "kotlinx Mutex tryLock"),
            Map.entry("kotlinxMutexTryLockSpin", "kotlinx Mutex tryLock spin"),
            Map.entry("kotlinxMutexChain", "kotlinx Mutex (suspending chain)"),
            Map.entry("vertxLocalLock", "Vert.x local lock"),
            Map.entry("vertxLocalLockAwait", "Vert.x local lock (await)"),
            Map.entry("vertxLocalLockChain", "Vert.x local lock (async chain)"),
            Map.entry("vertxLocalLockTimeoutChain", "Vert.x local lock, 30 s timeout (async chain)"),
            Map.entry("vertxLocalLockAsyncDelay", "Vert.x withLocalLock + async delay"),
            Map.entry("guavaExecutionSequencer", "Guava ExecutionSequencer"),
            Map.entry("guavaExecutionSequencerQueued", "Guava ExecutionSequencer (queued task)"),
            Map.entry("guavaExecutionSequencerChain", "Guava ExecutionSequencer (async chain)"),
            Map.entry("guavaExecutionSequencerAsyncDelay", "Guava ExecutionSequencer + async delay"),
            Map.entry("stampedLock", "StampedLock"),
            Map.entry("sleepFloor", "floor: 200 sleeps, no lock"),
            Map.entry("asyncDelayFloor", "floor: 200 async delays, no lock"),
            Map.entry("asyncMutexAcquire", "AsyncMutex acquire()"),
            Map.entry("asyncMutexAcquireNoLeakDetection", "AsyncMutex acquire(), leak detection off"),
            Map.entry("asyncMutexAcquireChain", "AsyncMutex acquire() (async chain)"),
            Map.entry("asyncMutexAcquireTimeoutChain", "AsyncMutex acquire(30 s) (async chain)"),
            Map.entry("asyncMutexAcquireJoin", "AsyncMutex acquire().join()"),
            Map.entry("asyncMutexLock", "AsyncMutex lock()"),
            Map.entry("asyncMutexLockSelfDeadlockDetection", "AsyncMutex lock(), detectSelfDeadlock"),
            Map.entry("asyncMutexTryAcquire", "AsyncMutex tryAcquire()"),
            Map.entry("asyncMutexWithLockAsyncDelay", "AsyncMutex withLock + async delay"),
            Map.entry("asyncRwLockLock", "AsyncRwLock lock()"),
            Map.entry("asyncRwLockAcquireJoin", "AsyncRwLock acquire().join()"),
            Map.entry("asyncRwLockReadAcquire", "AsyncRwLock read acquire()"),
            Map.entry("asyncRwLockWriteAcquire", "AsyncRwLock write acquire()"),
            Map.entry("asyncSemaphoreAcquire", "AsyncSemaphore acquire(1)"));

    private Contenders() {
    }

    /** @return the display name of a benchmark method (the method name if unknown) */
    static String label(String method) {
        return LABELS.getOrDefault(method, method);
    }

    /** What a contender is: the report lists, and the chart colours, each kind together. */
    enum Kind {
        OURS("asynclocks", new Color(0x2b6cb0)),
        LIBRARY("other libraries", new Color(0xdd8a2a)),
        JDK("java.util.concurrent", new Color(0x8a8a8a)),
        REFERENCE("reference (floor, ideal)", new Color(0xcfcfcf));

        private final String description;
        private final Color color;

        Kind(String description, Color color) {
            this.description = description;
            this.color = color;
        }

        String description() {
            return description;
        }

        Color color() {
            return color;
        }
    }

    /** Prefixes of the methods that measure another library's lock. */
    private static final List<String> LIBRARIES = List.of("ibm", "kotlinx", "vertx", "guava");

    /** @return what the method measures; report order is the order of {@link Kind} */
    static Kind kind(String method) {
        if (isOurs(method)) {
            return Kind.OURS;
        }
        if (isReference(method)) {
            return Kind.REFERENCE;
        }
        return LIBRARIES.stream().anyMatch(method::startsWith) ? Kind.LIBRARY : Kind.JDK;
    }

    /** @return whether the method measures one of our primitives */
    static boolean isOurs(String method) {
        return method.startsWith("asyncMutex") || method.startsWith("asyncRwLock")
                || method.startsWith("asyncSemaphore");
    }

    /** @return whether the method is a reference point rather than a lock (floors, CAS) */
    static boolean isReference(String method) {
        return method.endsWith("Floor") || method.startsWith("cas");
    }
}
