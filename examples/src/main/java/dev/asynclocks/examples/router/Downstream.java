package dev.asynclocks.examples.router;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small downstream service on 127.0.0.1: answers every request, after a simulated latency, with
 * its own name and the path it was asked for. Each exchange runs on its own virtual thread, so the
 * latency parks a virtual thread and costs no carrier.
 *
 * <p>Response: status 200, header {@code X-Served-By: <name>}, body {@code "<name> <method> <path>[?<query>]"}.
 *
 * {@snippet :
 * try (Downstream a = Downstream.start("a", Duration.ofMillis(2), Duration.ofMillis(5))) {
 *     // GET a.uri() + "/items/1"  ->  200 "a GET /items/1", after 2 to 5 ms
 * }
 * }
 */
public final class Downstream implements AutoCloseable {

    /** The response header that names the downstream that served a request. */
    public static final String SERVED_BY = "X-Served-By";

    private final String name;
    private final long minLatencyNanos;
    private final long maxLatencyNanos;
    private final LoopbackHttpServer server;

    private Downstream(String name, Duration minLatency, Duration maxLatency) {
        if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
            throw new IllegalArgumentException("need 0 <= minLatency <= maxLatency, got "
                    + minLatency + " and " + maxLatency);
        }
        this.name = name;
        this.minLatencyNanos = minLatency.toNanos();
        this.maxLatencyNanos = maxLatency.toNanos();
        this.server = LoopbackHttpServer.bind(0, "downstream " + name);
        server.http().createContext("/", this::serve);
        server.start();
    }

    /**
     * Starts a downstream on a free port of 127.0.0.1.
     *
     * @param name       what it answers with
     * @param minLatency the shortest simulated latency
     * @param maxLatency the longest; each request waits a uniformly random time in between
     * @return the started downstream
     */
    public static Downstream start(String name, Duration minLatency, Duration maxLatency) {
        return new Downstream(name, minLatency, maxLatency);
    }

    /** @return the name it answers with */
    public String name() {
        return name;
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public URI uri() {
        return server.uri();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
            simulateWork();
            URI asked = exchange.getRequestURI();
            String target = asked.getRawPath() + (asked.getRawQuery() == null ? "" : "?" + asked.getRawQuery());
            byte[] answer = (name + " " + exchange.getRequestMethod() + " " + target).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set(SERVED_BY, name);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** The simulated latency of real work (a database, a disk): parks this virtual thread. */
    private void simulateWork() {
        long nanos = minLatencyNanos == maxLatencyNanos ? minLatencyNanos
                : ThreadLocalRandom.current().nextLong(minLatencyNanos, maxLatencyNanos + 1);
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();     // the server is stopping: answer at once
        }
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "downstream " + name + " at " + uri();
    }
}
