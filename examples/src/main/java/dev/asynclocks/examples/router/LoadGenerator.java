package dev.asynclocks.examples.router;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives a router with a bounded load: {@code concurrency} virtual threads send {@code requests}
 * GETs between them, each as soon as its previous one was answered, while one more virtual thread
 * (a health checker, say) moves the service's route back and forth between two downstreams
 * through the admin endpoint every {@code updateEvery}.
 *
 * {@snippet :
 * LoadGenerator load = new LoadGenerator(client, "api", List.of(a.uri(), b.uri()),
 *         20_000, 64, Duration.ofMillis(10), Duration.ofSeconds(8));
 * LoadResult result = load.run(router.uri(), (done, elapsed) -> System.out.print("\r" + done));
 * }
 */
final class LoadGenerator {

    /** Told how far the run is, every {@link #PROGRESS_EVERY} while it runs. */
    @FunctionalInterface
    interface Progress {
        /**
         * @param completed    requests answered so far
         * @param elapsedNanos since the run started
         */
        void update(int completed, long elapsedNanos);
    }

    static final Duration PROGRESS_EVERY = Duration.ofMillis(250);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final String service;
    private final List<URI> routeTargets;
    private final int requests;
    private final int concurrency;
    private final Duration updateEvery;
    private final Duration timeLimit;

    /**
     * @param client       sends the requests
     * @param service      the service every request asks for
     * @param routeTargets the downstreams the route moves between; empty for no route updates
     * @param requests     how many requests to send, at most
     * @param concurrency  how many are in flight at once
     * @param updateEvery  the pause between two route updates; zero for no route updates
     * @param timeLimit    stop sending new requests after this long, even if fewer were sent
     */
    LoadGenerator(HttpClient client, String service, List<URI> routeTargets, int requests, int concurrency,
                  Duration updateEvery, Duration timeLimit) {
        this.client = client;
        this.service = service;
        this.routeTargets = List.copyOf(routeTargets);
        this.requests = requests;
        this.concurrency = concurrency;
        this.updateEvery = updateEvery;
        this.timeLimit = timeLimit;
    }

    /** @return how many requests a run sends, at most */
    int requests() {
        return requests;
    }

    /**
     * Runs the load against {@code router} and waits for it to finish.
     *
     * @param router   the router's base URI
     * @param progress told how far the run is while it runs
     * @return what was measured
     * @throws InterruptedException if interrupted; the load is stopped
     */
    LoadResult run(URI router, Progress progress) throws InterruptedException {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger updates = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        CountDownLatch workersDone = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        long deadline = start + timeLimit.toNanos();
        long[] end = new long[concurrency];

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            if (!routeTargets.isEmpty() && updateEvery.isPositive()) {
                threads.submit(() -> moveRouteUntilInterrupted(router, updates, failed, firstFailure));
            }
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                threads.submit(() -> {
                    try {
                        for (int i; (i = next.getAndIncrement()) < requests && System.nanoTime() < deadline; ) {
                            long sent = System.nanoTime();
                            String failure = get(router.resolve("/" + service + "/items/" + i));
                            latencies[completed.getAndIncrement()] = System.nanoTime() - sent;
                            if (failure != null) {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, failure);
                            }
                        }
                        end[worker] = System.nanoTime();
                    } finally {
                        workersDone.countDown();
                    }
                });
            }
            while (!workersDone.await(PROGRESS_EVERY.toNanos(), TimeUnit.NANOSECONDS)) {
                progress.update(completed.get(), System.nanoTime() - start);
            }
            threads.shutdownNow();          // interrupts the route mover
        }
        long last = start;
        for (long e : end) {
            last = Math.max(last, e);
        }
        int done = completed.get();
        return new LoadResult(done, failed.get(), updates.get(), last - start,
                Arrays.copyOf(latencies, done), firstFailure.get());
    }

    /** @return null on a 200, else what went wrong */
    private String get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? null
                    : "GET " + uri + " answered " + response.statusCode() + ": " + response.body().strip();
        } catch (IOException e) {
            return "GET " + uri + " failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "GET " + uri + " interrupted";
        }
    }

    /** Pacing, not synchronization: one route update, then a pause, until the run ends. */
    private void moveRouteUntilInterrupted(URI router, AtomicInteger updates, AtomicInteger failed,
                                           AtomicReference<String> firstFailure) {
        URI admin = router.resolve("/admin/routes/" + service);
        try {
            for (int k = 1; !Thread.currentThread().isInterrupted(); k++) {
                URI target = routeTargets.get(k % routeTargets.size());
                HttpRequest put = HttpRequest.newBuilder(admin).timeout(REQUEST_TIMEOUT)
                        .PUT(HttpRequest.BodyPublishers.ofString(target.toString(), StandardCharsets.UTF_8))
                        .build();
                HttpResponse<String> response = client.send(put, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    updates.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, "PUT " + admin + " answered " + response.statusCode()
                            + ": " + response.body().strip());
                }
                Thread.sleep(updateEvery);
            }
        } catch (InterruptedException e) {
            // the run is over
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, "PUT " + admin + " failed: " + e);
            }
        }
    }
}
