package dev.asynclocks.stress.pinning;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.AsyncSemaphore;
import dev.asynclocks.Guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Virtual threads contending through every parking and blocking path of the library, each
 * holder parking inside its section (so that waiters really wait, and the holder itself must be
 * able to unmount). Used by the JFR test in-process and by the single-carrier test in a JVM of
 * its own. Checks mutual exclusion with plain counters.
 *
 * {@snippet :
 * List<String> report = Contention.run(10_000);
 * }
 */
final class Contention {

    private Contention() {
    }

    /** One phase: {@code threads} virtual threads, one section each. */
    private interface Section {
        void enter(int index) throws Exception;
    }

    /**
     * Runs each phase with {@code threads} virtual threads.
     *
     * @return one line per phase: name, sections run, and the carrier threads seen
     * @throws AssertionError if mutual exclusion or the permit count was ever violated
     */
    static List<String> run(int threads) throws Exception {
        List<String> report = new ArrayList<>();
        AsyncMutex mutex = new AsyncMutex();
        int[] inside = new int[1];   // guarded by the mutex
        int[] sections = new int[1]; // guarded by the mutex
        Section mutexSection = i -> {
            if (++inside[0] != 1) {
                throw new AssertionError("two holders inside the mutex");
            }
            sections[0]++;
            pauseInside(i);
            inside[0]--;
        };

        report.add(phase("mutex lock()", threads, i -> {
            try (Guard guard = mutex.lock()) {
                mutexSection.enter(i);
            }
        }, () -> sections[0]));

        sections[0] = 0;
        report.add(phase("mutex acquire().join()", threads, i -> {
            try (Guard guard = mutex.acquire().toCompletableFuture().join()) {
                mutexSection.enter(i);
            }
        }, () -> sections[0]));

        sections[0] = 0;
        report.add(phase("mutex lock(timeout)", threads, i -> {
            try (Guard guard = mutex.lock(Duration.ofMinutes(5))) {
                mutexSection.enter(i);
            } catch (TimeoutException e) {
                throw new AssertionError("a 5-minute timeout elapsed", e);
            }
        }, () -> sections[0]));

        AsyncRwLock rwLock = new AsyncRwLock();
        java.util.concurrent.atomic.AtomicInteger readers = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger writers = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger rwSections = new java.util.concurrent.atomic.AtomicInteger();
        report.add(phase("rwlock read/write lock()", threads, i -> {
            boolean write = i % 4 == 0;
            try (Guard guard = (write ? rwLock.writeLock() : rwLock.readLock()).lock()) {
                if (write) {
                    if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                        throw new AssertionError("a writer is not alone");
                    }
                } else if (readers.incrementAndGet() < 1 || writers.get() != 0) {
                    throw new AssertionError("a reader beside a writer");
                }
                rwSections.incrementAndGet();
                pauseInside(i);
                (write ? writers : readers).decrementAndGet();
            }
        }, rwSections::get));

        AsyncSemaphore semaphore = new AsyncSemaphore(3);
        java.util.concurrent.atomic.AtomicInteger permitsOut = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger semaphoreSections = new java.util.concurrent.atomic.AtomicInteger();
        report.add(phase("semaphore lock(n)", threads, i -> {
            int n = 1 + i % 3;
            try (Guard guard = semaphore.lock(n)) {
                if (permitsOut.addAndGet(n) > 3) {
                    throw new AssertionError("more than 3 permits out");
                }
                semaphoreSections.incrementAndGet();
                pauseInside(i);
                permitsOut.addAndGet(-n);
            }
        }, semaphoreSections::get));
        return report;
    }

    /** Parks or yields inside the section: the holder unmounts while others wait. */
    private static void pauseInside(int i) {
        if (i % 2 == 0) {
            LockSupport.parkNanos(1_000);
        } else {
            Thread.yield();
        }
    }

    private static String phase(String name, int threads, Section section, java.util.function.IntSupplier count)
            throws Exception {
        java.util.Set<String> carriers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                int index = i;
                executor.submit(() -> {
                    try {
                        section.enter(index);
                        carriers.add(carrierOf(Thread.currentThread()));
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                    return null;
                });
            }
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(name + ": " + failures.size() + " failures");
            failures.stream().limit(5).forEach(error::addSuppressed);
            throw error;
        }
        if (count.getAsInt() != threads) {
            throw new AssertionError(name + ": " + count.getAsInt() + " sections for " + threads + " threads");
        }
        return name + ": " + threads + " sections, carriers " + new java.util.TreeSet<>(carriers);
    }

    /** The carrier's name, from a virtual thread's toString ("VirtualThread[#21]/runnable@carrier"). */
    private static String carrierOf(Thread thread) {
        String s = thread.toString();
        int at = s.lastIndexOf('@');
        return at < 0 ? "?" : s.substring(at + 1);
    }
}
