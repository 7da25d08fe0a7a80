package dev.asynclocks.examples.router;

import dev.asynclocks.AsyncRwLock;
import dev.asynclocks.GuardedRwLock;
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
 * The routes table owned by a {@link GuardedRwLock}: an immutable map that request handlers read
 * under the read lock and a route update replaces under the write lock; no code can reach it
 * outside a section. Request handlers run on virtual threads, so the sections park: a waiting
 * handler parks its virtual thread, never a carrier.
 *
 * {@snippet :
 * RouteTable routes = new AsyncRwLockRouteTable(Map.of("api", downstreamA.uri()));
 * routes.put("api", downstreamB.uri(), Duration.ofSeconds(1));   // write lock, briefly
 * }
 */
final class AsyncRwLockRouteTable implements RouteTable {

    /** The lock the table is guarded by, kept only for its monitoring (stats, meters, toString). */
    private final AsyncRwLock lock = AsyncRwLock.builder().name("routes").build();
    private final GuardedRwLock<Map<String, URI>> table;

    AsyncRwLockRouteTable(Map<String, URI> initial) {
        this.table = new GuardedRwLock<>(lock, Map.copyOf(initial));
    }

    // tag::route-table[]
    @Override
    public Optional<URI> lookup(String service) throws InterruptedException {
        return table.read().apply(routes -> Optional.ofNullable(routes.get(service)));
    }

    @Override
    public <T> T callHoldingRoute(String service, RouteCall<T> call) throws IOException, InterruptedException {
        try {
            return table.read().apply(routes -> {
                try {
                    return call.call(Optional.ofNullable(routes.get(service)));
                } catch (IOException | InterruptedException e) {
                    throw new CheckedFailure(e); // carried out of the section, then unwrapped
                }
            });
        } catch (CheckedFailure failure) {
            if (failure.getCause() instanceof IOException e) {
                throw e;
            }
            throw (InterruptedException) failure.getCause();
        }
    }

    @Override
    public void put(String service, URI target, Duration timeout) throws TimeoutException, InterruptedException {
        table.write().update(timeout, routes -> { // copy, change, replace: one write section
            Map<String, URI> next = new HashMap<>(routes);
            next.put(service, target);
            return Map.copyOf(next);
        });
    }
    // end::route-table[]

    @Override
    public SortedMap<String, URI> snapshot() throws InterruptedException {
        return table.read().apply(TreeMap::new);
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

    /** A checked exception of a route call, carried out of the section's function. */
    private static final class CheckedFailure extends RuntimeException {
        CheckedFailure(Exception cause) {
            super(cause);
        }
    }
}
