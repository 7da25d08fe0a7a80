package dev.asynclocks.examples.router;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP proxy router: picks a downstream for each request from a routes table held in shared
 * state, and forwards the request there. The JDK's {@code HttpServer} runs each exchange on its own
 * virtual thread; the downstream call is a {@link HttpClient} call, blocking that virtual thread.
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code <METHOD> /<service>/<path>}: forwarded to {@code <route of service>/<path>}, with the
 *       same method, query and body. 404 if the service has no route, 502 if the downstream
 *       fails. The downstream's status, {@code Content-Type} and {@code X-Served-By} come back.</li>
 *   <li>{@code GET /admin/routes}: the table, one {@code "<service> <uri>"} line per route.</li>
 *   <li>{@code PUT /admin/routes/<service>} with a body {@code http://host:port}: sets the route,
 *       under the write lock. 400 on a malformed URI, 503 if the write lock is not granted
 *       within a second.</li>
 *   <li>{@code GET /admin/lock}: the routes lock's state ({@code toString()}) and, for an
 *       {@code AsyncRwLock}, its {@code stats()}: acquisitions, contended ones, the longest wait.</li>
 *   <li>{@code GET /metrics}: for an {@code AsyncRwLock}, the routes lock's meters
 *       ({@code asynclocks-micrometer}'s {@code LockMetrics}) in Prometheus text format: queue
 *       length, readers, counters, and wait- and hold-time histograms.</li>
 * </ul>
 *
 * <p>How the request path holds the routes lock is the {@link LockStyle}: released before the
 * downstream call (right), or held across it (the mistake the demo measures).
 *
 * {@snippet :
 * try (ProxyRouter router = ProxyRouter.start(0, LockStyle.ASYNC_RELEASED_BEFORE_CALL,
 *         Map.of("api", downstreamA.uri()))) {
 *     // GET router.uri() + "/api/items/1"  ->  forwarded to downstream a's /items/1
 *     // PUT router.uri() + "/admin/routes/api" with body downstreamB.uri()  ->  now to b
 * }
 * }
 */
public final class ProxyRouter implements AutoCloseable {

    /** How long the admin endpoint waits for the write lock before answering 503. */
    static final Duration ADMIN_WRITE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration DOWNSTREAM_TIMEOUT = Duration.ofSeconds(10);
    private static final String ROUTES_PATH = "/admin/routes";
    private static final String LOCK_PATH = "/admin/lock";
    private static final String METRICS_PATH = "/metrics";

    private final LockStyle style;
    private final RouteTable routes;
    private final ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(clientThreads)
            .build();
    private final LoopbackHttpServer server;
    /** Scraped by GET /metrics; the routes lock's meters are bound to it while the router runs. */
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AutoCloseable lockMetrics;
    /** How long each forwarded request waited for the routes lock (and looked the route up). */
    private final WaitHistogram lockWaits = new WaitHistogram();

    private ProxyRouter(int port, LockStyle style, Map<String, URI> initialRoutes) {
        this.style = style;
        this.routes = style.newTable(initialRoutes);
        this.lockMetrics = routes.bindMetrics(metrics);
        try {
            this.server = LoopbackHttpServer.bind(port, "router");
        } catch (RuntimeException e) {
            closeClient();
            throw e;
        }
        server.http().createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts a router on 127.0.0.1.
     *
     * @param port          its port, or 0 for any free one
     * @param style         how requests hold the routes lock
     * @param initialRoutes service name to downstream base URI ({@code http://127.0.0.1:1234})
     * @return the started router
     * @throws PortInUseException if {@code port} is taken
     */
    public static ProxyRouter start(int port, LockStyle style, Map<String, URI> initialRoutes) {
        return new ProxyRouter(port, style, initialRoutes);
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public URI uri() {
        return server.uri();
    }

    /** @return the port the router listens on */
    public int port() {
        return server.port();
    }

    /** @return how requests hold the routes lock */
    public LockStyle style() {
        return style;
    }

    /** @return how long each forwarded request so far waited for the routes lock */
    WaitHistogram lockWaits() {
        return lockWaits;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply = Reply.text(503, "router stopping\n");
            } catch (RuntimeException e) {
                reply = Reply.text(500, "router error: " + e + "\n");
            }
            reply.sendTo(exchange);
        }
    }

    private Reply route(HttpExchange exchange) throws IOException, InterruptedException {
        String path = exchange.getRequestURI().getRawPath();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (path.equals(LOCK_PATH)) {
            return Reply.text(200, routes.describeLock());
        }
        if (path.equals(METRICS_PATH)) {
            return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", null,
                    metrics.scrape().getBytes(StandardCharsets.UTF_8));
        }
        if (path.equals(ROUTES_PATH) || path.startsWith(ROUTES_PATH + "/")) {
            return admin(exchange.getRequestMethod(), path.substring(ROUTES_PATH.length()), body);
        }
        int slash = path.indexOf('/', 1);
        String service = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String rest = slash < 0 ? "/" : path.substring(slash);
        if (service.isEmpty()) {
            return Reply.text(404, "usage: /<service>/<path>, GET " + ROUTES_PATH
                    + ", PUT " + ROUTES_PATH + "/<service>, GET " + LOCK_PATH + ", GET " + METRICS_PATH + "\n");
        }
        return forward(exchange.getRequestMethod(), service, rest, exchange.getRequestURI().getRawQuery(), body);
    }

    private Reply forward(String method, String service, String rest, String query, byte[] body)
            throws IOException, InterruptedException {
        long asked = System.nanoTime();
        // tag::forward[]
        if (style.holdsAcrossCall()) {
            // The mistake: the read lock stays held until the downstream answers, so a route
            // update waits for the slowest call in flight, and every request behind it waits too.
            return routes.callHoldingRoute(service, target -> {
                lockWaits.record(System.nanoTime() - asked);
                return call(target, service, method, rest, query, body);
            });
        }
        // The right way: the lock guards a map lookup; the downstream call runs outside it.
        Optional<URI> target = routes.lookup(service);
        lockWaits.record(System.nanoTime() - asked);
        return call(target, service, method, rest, query, body);
        // end::forward[]
    }

    private Reply call(Optional<URI> target, String service, String method, String rest, String query, byte[] body)
            throws InterruptedException {
        if (target.isEmpty()) {
            return Reply.text(404, "no route for service '" + service + "'\n");
        }
        URI uri = URI.create(target.get() + rest + (query == null ? "" : "?" + query));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(DOWNSTREAM_TIMEOUT)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return Reply.text(502, "downstream " + uri + " failed: " + e + "\n");
        }
        return new Reply(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                response.headers().firstValue(Downstream.SERVED_BY).orElse(null),
                response.body());
    }

    private Reply admin(String method, String subPath, byte[] body) throws InterruptedException {
        if (subPath.isEmpty() || subPath.equals("/")) {
            if (!method.equals("GET")) {
                return Reply.text(405, "use GET " + ROUTES_PATH + "\n");
            }
            StringBuilder table = new StringBuilder();
            routes.snapshot().forEach((service, uri) -> table.append(service).append(' ').append(uri).append('\n'));
            return Reply.text(200, table.toString());
        }
        String service = subPath.substring(1);
        if (!method.equals("PUT")) {
            return Reply.text(405, "use PUT " + ROUTES_PATH + "/<service> with the downstream URI as the body\n");
        }
        if (service.isEmpty() || service.contains("/") || service.equals("admin")) {
            return Reply.text(400, "bad service name '" + service + "'\n");
        }
        URI target;
        try {
            target = downstreamBase(new String(body, StandardCharsets.UTF_8).trim());
        } catch (URISyntaxException e) {
            return Reply.text(400, "bad downstream URI: " + e.getMessage() + "\n");
        }
        try {
            routes.put(service, target, ADMIN_WRITE_TIMEOUT);
        } catch (TimeoutException e) {
            return Reply.text(503, "routes busy: write lock not granted within " + ADMIN_WRITE_TIMEOUT + "\n");
        }
        return Reply.text(200, service + " " + target + "\n");
    }

    /** Parses {@code http://host:port}, the only form a route takes (no path, query or fragment). */
    static URI downstreamBase(String text) throws URISyntaxException {
        URI uri = new URI(text);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new URISyntaxException(text, "expected http://host:port");
        }
        return new URI("http", null, uri.getHost(), uri.getPort(), null, null, null);
    }

    /** Stops listening, closes every connection, and shuts the downstream client down. */
    @Override
    public void close() {
        server.close();
        closeClient();
    }

    private void closeClient() {
        client.shutdownNow();
        clientThreads.shutdown();
        try {
            lockMetrics.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot unbind the routes lock's meters", e);
        }
        metrics.close();
    }

    @Override
    public String toString() {
        return "router at " + uri() + ", " + style.label() + ", " + routes;
    }

    /** A response to send back: status, optional headers, body. */
    private record Reply(int status, String contentType, String servedBy, byte[] body) {

        static Reply text(int status, String text) {
            return new Reply(status, "text/plain; charset=utf-8", null, text.getBytes(StandardCharsets.UTF_8));
        }

        void sendTo(HttpExchange exchange) throws IOException {
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            if (servedBy != null) {
                exchange.getResponseHeaders().set(Downstream.SERVED_BY, servedBy);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }
}
