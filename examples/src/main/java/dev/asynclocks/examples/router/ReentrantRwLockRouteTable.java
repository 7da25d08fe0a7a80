package dev.asynclocks.examples.router;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The routes table guarded by a JDK {@link ReentrantReadWriteLock}, the baseline. On virtual
 * threads a j.u.c. lock parks the virtual thread too (it never pinned), so this is the lock a
 * virtual-thread program would reach for first.
 *
 * {@snippet :
 * RouteTable routes = new ReentrantRwLockRouteTable(Map.of("api", downstreamA.uri()));
 * Optional<URI> target = routes.lookup("api");
 * }
 */
final class ReentrantRwLockRouteTable implements RouteTable {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock readLock = lock.readLock();
    private final Lock writeLock = lock.writeLock();
    /** Read under {@code readLock}, written under {@code writeLock}. */
    private final Map<String, URI> routes;

    ReentrantRwLockRouteTable(Map<String, URI> initial) {
        this.routes = new HashMap<>(initial);
    }

    @Override
    public Optional<URI> lookup(String service) throws InterruptedException {
        readLock.lockInterruptibly();
        try {
            return Optional.ofNullable(routes.get(service));
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public <T> T callHoldingRoute(String service, RouteCall<T> call) throws IOException, InterruptedException {
        readLock.lockInterruptibly();
        try {
            return call.call(Optional.ofNullable(routes.get(service)));
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void put(String service, URI target, Duration timeout) throws TimeoutException, InterruptedException {
        if (!writeLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("write lock not granted within " + timeout);
        }
        try {
            routes.put(service, target);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public SortedMap<String, URI> snapshot() throws InterruptedException {
        readLock.lockInterruptibly();
        try {
            return new TreeMap<>(routes);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public String describeLock() {
        return lock + "\n";
    }

    @Override
    public String toString() {
        return lock.toString();
    }
}
