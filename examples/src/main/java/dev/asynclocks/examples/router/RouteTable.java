package dev.asynclocks.examples.router;

import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.TimeoutException;

/**
 * The router's shared state: which downstream serves which service, guarded by a read-write lock.
 * Requests read it, the admin endpoint writes it.
 *
 * <p>Two ways to use it on the request path, and the demo measures both:
 * <ul>
 *   <li>{@link #lookup}: read the route under the read lock, release, then call the downstream.
 *       The lock guards a map lookup: a short, predictable "data" critical section. The right way.</li>
 *   <li>{@link #callHoldingRoute}: keep the read lock held across the downstream call. A route
 *       update then waits for the slowest call in flight, and (the lock being fair) every request
 *       that arrives meanwhile queues behind the update.</li>
 * </ul>
 *
 * {@snippet :
 * Optional<URI> target = routes.lookup("api");        // read lock held for a map lookup only
 * HttpResponse<byte[]> response = send(target.orElseThrow(), request);
 * }
 */
interface RouteTable {

    /**
     * Reads the route of {@code service} under the read lock, released before this returns.
     *
     * @param service the first path segment of a request
     * @return the downstream base URI, or empty if the service has no route
     * @throws InterruptedException if interrupted while waiting for the read lock
     */
    Optional<URI> lookup(String service) throws InterruptedException;

    /**
     * Reads the route of {@code service} and runs {@code call} with it, holding the read lock
     * until {@code call} returns: the lock is held across the downstream call.
     *
     * @param service the first path segment of a request
     * @param call    the downstream call, given the route (or empty)
     * @param <T>     what the call returns
     * @return what {@code call} returned
     * @throws IOException          if the call failed
     * @throws InterruptedException if interrupted while waiting for the read lock or in the call
     */
    <T> T callHoldingRoute(String service, RouteCall<T> call) throws IOException, InterruptedException;

    /**
     * Sets the route of {@code service} under the write lock, waiting at most {@code timeout} for it.
     *
     * @param service the service
     * @param target  its new downstream base URI
     * @param timeout how long to wait for the write lock
     * @throws TimeoutException     if the write lock was not granted in time; nothing changed
     * @throws InterruptedException if interrupted while waiting; nothing changed
     */
    void put(String service, URI target, Duration timeout) throws TimeoutException, InterruptedException;

    /**
     * Copies the table under the read lock.
     *
     * @return every route, sorted by service
     * @throws InterruptedException if interrupted while waiting for the read lock
     */
    SortedMap<String, URI> snapshot() throws InterruptedException;

    /**
     * Describes the lock guarding the table, for {@code GET /admin/lock}: its state, and its
     * counters if it keeps any.
     *
     * @return a few lines of text
     */
    String describeLock();

    /**
     * Registers the lock's meters in {@code registry}, for {@code GET /metrics}, if the lock has
     * any (an asynclocks lock does, through {@code asynclocks-micrometer}; a JDK lock does not).
     *
     * @param registry where the meters go
     * @return closes the binding: removes the meters again
     */
    default AutoCloseable bindMetrics(MeterRegistry registry) {
        return () -> { };
    }

    /**
     * A downstream call made while the route is held.
     *
     * @param <T> what the call returns
     */
    @FunctionalInterface
    interface RouteCall<T> {
        /**
         * @param target the route, or empty if the service has none
         * @return the call's result
         * @throws IOException          if the call failed
         * @throws InterruptedException if interrupted
         */
        T call(Optional<URI> target) throws IOException, InterruptedException;
    }
}
