package dev.asynclocks.examples.router;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives a real {@link ProxyRouter} over HTTP, in front of two real {@link Downstream}s on 127.0.0.1.
 * Every style of holding the routes lock must route correctly, and a route must move under load
 * without failing a request.
 */
class ProxyRouterTest {

    private static Downstream a;
    private static Downstream b;
    private static ExecutorService clientThreads;
    private static HttpClient client;

    @BeforeAll
    static void startDownstreams() {
        a = Downstream.start("a", Duration.ofMillis(2), Duration.ofMillis(5));
        b = Downstream.start("b", Duration.ofMillis(2), Duration.ofMillis(5));
        clientThreads = Executors.newVirtualThreadPerTaskExecutor();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();
    }

    @AfterAll
    static void stopDownstreams() {
        client.close();
        clientThreads.close();
        a.close();
        b.close();
    }

    @ParameterizedTest
    @EnumSource(LockStyle.class)
    void forwardsMethodPathQueryAndBodyToTheRoutedDownstream(LockStyle style) throws Exception {
        try (ProxyRouter router = ProxyRouter.start(0, style, Map.of("api", a.uri()))) {
            HttpResponse<String> get = send(router, "GET", "/api/items/7?color=red", null);
            assertEquals(200, get.statusCode());
            assertEquals("a GET /items/7?color=red", get.body());
            assertEquals("a", get.headers().firstValue(Downstream.SERVED_BY).orElseThrow());

            HttpResponse<String> post = send(router, "POST", "/api", "hello");
            assertEquals(200, post.statusCode());
            assertEquals("a POST /", post.body());
        }
    }

    @ParameterizedTest
    @EnumSource(LockStyle.class)
    void adminPutMovesTheRouteAndGetListsTheTable(LockStyle style) throws Exception {
        try (ProxyRouter router = ProxyRouter.start(0, style, Map.of("api", a.uri(), "web", a.uri()))) {
            HttpResponse<String> put = send(router, "PUT", "/admin/routes/api", b.uri() + "/");
            assertEquals(200, put.statusCode(), put.body());
            assertEquals("api " + b.uri() + "\n", put.body());

            assertEquals("b GET /x", send(router, "GET", "/api/x", null).body());
            assertEquals("a GET /x", send(router, "GET", "/web/x", null).body());
            assertEquals("api " + b.uri() + "\nweb " + a.uri() + "\n",
                    send(router, "GET", "/admin/routes", null).body());
        }
    }

    @ParameterizedTest
    @EnumSource(LockStyle.class)
    void adminLockDescribesTheRoutesLock(LockStyle style) throws Exception {
        try (ProxyRouter router = ProxyRouter.start(0, style, Map.of("api", a.uri()))) {
            send(router, "GET", "/api/x", null);
            HttpResponse<String> lock = send(router, "GET", "/admin/lock", null);
            assertEquals(200, lock.statusCode());
            boolean ours = style == LockStyle.ASYNC_HELD_ACROSS_CALL || style == LockStyle.ASYNC_RELEASED_BEFORE_CALL;
            assertTrue(lock.body().startsWith(ours ? "AsyncRwLock 'routes'" : "java.util.concurrent.locks.ReentrantReadWriteLock"),
                    lock.body());
            assertEquals(ours, lock.body().contains("LockStats[acquisitions="), lock.body());
        }
    }

    @ParameterizedTest
    @EnumSource(LockStyle.class)
    void metricsServesTheRoutesLockInPrometheusTextFormat(LockStyle style) throws Exception {
        try (ProxyRouter router = ProxyRouter.start(0, style, Map.of("api", a.uri()))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, send(router, "GET", "/api/x", null).statusCode());
            }
            HttpResponse<String> metrics = send(router, "GET", "/metrics", null);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            boolean ours = style == LockStyle.ASYNC_HELD_ACROSS_CALL || style == LockStyle.ASYNC_RELEASED_BEFORE_CALL;
            String acquisitions = "asynclocks_acquisitions_total{name=\"routes\",type=\"AsyncRwLock\"} ";
            assertEquals(ours, metrics.body().contains(acquisitions + "3"), metrics.body());
            assertEquals(ours, metrics.body().contains("# TYPE asynclocks_wait_seconds histogram"), metrics.body());
        }
    }

    @Test
    void answersClientErrorsWithTheRightStatus() throws Exception {
        try (ProxyRouter router = ProxyRouter.start(0, LockStyle.ASYNC_RELEASED_BEFORE_CALL, Map.of("api", a.uri()))) {
            assertEquals(404, send(router, "GET", "/nope/x", null).statusCode(), "no route for the service");
            assertEquals(404, send(router, "GET", "/", null).statusCode(), "no service in the path");
            assertEquals(400, send(router, "PUT", "/admin/routes/api", "not a uri").statusCode());
            assertEquals(400, send(router, "PUT", "/admin/routes/api", "ftp://127.0.0.1:21").statusCode());
            assertEquals(400, send(router, "PUT", "/admin/routes/api", "http://127.0.0.1:1/path").statusCode());
            assertEquals(400, send(router, "PUT", "/admin/routes/admin", b.uri().toString()).statusCode());
            assertEquals(405, send(router, "DELETE", "/admin/routes/api", null).statusCode());
            assertEquals(405, send(router, "POST", "/admin/routes", "x").statusCode());
            assertEquals("api " + a.uri() + "\n", send(router, "GET", "/admin/routes", null).body(),
                    "no rejected update changed the table");
        }
    }

    @Test
    void answers502WhenTheDownstreamIsGone() throws Exception {
        Downstream gone = Downstream.start("gone", Duration.ZERO, Duration.ZERO);
        URI goneUri = gone.uri();
        gone.close();
        try (ProxyRouter router = ProxyRouter.start(0, LockStyle.ASYNC_RELEASED_BEFORE_CALL, Map.of("api", goneUri))) {
            HttpResponse<String> response = send(router, "GET", "/api/x", null);
            assertEquals(502, response.statusCode(), response.body());
        }
    }

    /**
     * 600 requests from 16 virtual threads while the test moves the route a -> b -> a -> b, each
     * move once enough responses came back. Every request must succeed, and be served by a
     * downstream the route pointed at some time between the request being sent and answered.
     */
    @ParameterizedTest
    @EnumSource(LockStyle.class)
    void movesTheRouteUnderLoadWithoutFailingARequest(LockStyle style) throws Exception {
        int requests = 600;
        int concurrency = 16;
        int[] moveAfter = {100, 250, 400};
        List<CountDownLatch> moveLatches = new ArrayList<>();
        for (int count : moveAfter) {
            moveLatches.add(new CountDownLatch(count));
        }
        // Route version v points at a when v is even, at b when odd. Bumped before a PUT is sent
        // (started) and after its answer came back (finished).
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

        try (ProxyRouter router = ProxyRouter.start(0, style, Map.of("api", a.uri()));
             ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(load.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests; ) {
                        int oldest = finished.get();
                        HttpResponse<String> response = send(router, "GET", "/api/items/" + i, null);
                        int newest = started.get();
                        String servedBy = response.headers().firstValue(Downstream.SERVED_BY).orElse("nobody");
                        if (response.statusCode() != 200) {
                            problems.add("request " + i + ": " + response.statusCode() + " " + response.body());
                        } else if (oldest == newest && !servedBy.equals(oldest % 2 == 0 ? "a" : "b")) {
                            problems.add("request " + i + " sent and answered at route version " + oldest
                                    + " was served by " + servedBy);
                        }
                        moveLatches.forEach(CountDownLatch::countDown);
                    }
                    return null;
                }));
            }
            for (int move = 0; move < moveAfter.length; move++) {
                assertTrue(moveLatches.get(move).await(20, TimeUnit.SECONDS), "load stalled before move " + move);
                Downstream target = move % 2 == 0 ? b : a;
                started.incrementAndGet();
                HttpResponse<String> put = send(router, "PUT", "/admin/routes/api", target.uri().toString());
                finished.incrementAndGet();
                assertEquals(200, put.statusCode(), put.body());
            }
            for (Future<?> worker : workers) {
                worker.get(20, TimeUnit.SECONDS);
            }
            assertTrue(problems.isEmpty(), problems.size() + " bad requests, the first: "
                    + problems.stream().limit(5).toList());
            assertEquals("api " + b.uri() + "\n", send(router, "GET", "/admin/routes", null).body());
        }
    }

    private static HttpResponse<String> send(ProxyRouter router, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(router.uri().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
