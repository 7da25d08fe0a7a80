package dev.asynclocks.examples.router;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.Guard;
import dev.asynclocks.micrometer.LockMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * The routes table guarded by an {@link AsyncRwLock}. Request handlers run on virtual threads, so
 * they take the lock with {@code lock()}: a waiting handler parks its virtual thread, never a carrier.
 *
 * {@snippet :
 * RouteTable routes = new AsyncRwLockRouteTable(Map.of("api", downstreamA.uri()));
 * routes.put("api", downstreamB.uri(), Duration.ofSeconds(1));   // write lock, briefly
 * }
 */
final class AsyncRwLockRouteTable implements RouteTable {

    private final AsyncRwLock lock = AsyncRwLock.builder().name("routes").build();
    /** Read under {@code lock}'s read side, written under its write side. */
    private final Map<String, URI> routes;

    AsyncRwLockRouteTable(Map<String, URI> initial) {
        this.routes = new HashMap<>(initial);
    }

    // tag::route-table[]
    @Override
    public Optional<URI> lookup(String service) throws InterruptedException {
        try (Guard read = lock.readLock().lock()) {
            return Optional.ofNullable(routes.get(service));
        }
    }

    @Override
    public <T> T callHoldingRoute(String service, RouteCall<T> call) throws IOException, InterruptedException {
        try (Guard read = lock.readLock().lock()) {
            return call.call(Optional.ofNullable(routes.get(service)));
        }
    }

    @Override
    public void put(String service, URI target, Duration timeout) throws TimeoutException, InterruptedException {
        try (Guard write = lock.writeLock().lock(timeout)) {
            routes.put(service, target);
        }
    }
    // end::route-table[]

    @Override
    public SortedMap<String, URI> snapshot() throws InterruptedException {
        try (Guard read = lock.readLock().lock()) {
            return new TreeMap<>(routes);
        }
    }

    @Override
    public String describeLock() {
        return lock + "\n" + lock.stats() + "\n";
    }

    @Override
    public AutoCloseable bindMetrics(MeterRegistry registry) {
        LockMetrics metrics = LockMetrics.of(lock);
        metrics.bindTo(registry);
        return metrics;
    }

    @Override
    public String toString() {
        return lock.toString();
    }
}
