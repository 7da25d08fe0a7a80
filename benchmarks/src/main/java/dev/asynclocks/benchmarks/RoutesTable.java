package dev.asynclocks.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * The proxy-router's routes table: host number to backend name, in a plain {@link HashMap} that
 * the lock under test guards (any number of readers, or one writer). Values are made up front, so
 * neither a lookup nor an update allocates.
 *
 * {@snippet :
 * RoutesTable routes = new RoutesTable(1_000);
 * try (Guard guard = rwLock.readLock().lock()) {
 *     sum += routes.lookup(42);
 * }
 * }
 */
final class RoutesTable {

    private final Map<Integer, String> routes = new HashMap<>();
    private final Integer[] hosts;
    private final String[] backends;
    /** Updates so far; written under the write lock, read after the run. */
    private final DataSection updates = new DataSection();

    RoutesTable(int size) {
        hosts = new Integer[size];
        backends = new String[size];
        for (int i = 0; i < size; i++) {
            hosts[i] = i;
            backends[i] = "backend-" + i;
            routes.put(hosts[i], backends[i]);
        }
    }

    int size() {
        return hosts.length;
    }

    /** A read: the length of the backend's name, so the lookup cannot be optimized away. */
    int lookup(int host) {
        return routes.get(hosts[host]).length();
    }

    /** A write: points {@code host} at another existing backend. */
    void update(int host, int backend) {
        routes.put(hosts[host], backends[backend]);
        updates.increment();
    }

    /** Fails when an update was lost (two writers at once); then counts afresh. */
    void expectUpdates(long expected) {
        updates.expect(expected);
    }
}
