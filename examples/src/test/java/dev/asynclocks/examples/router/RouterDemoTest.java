package dev.asynclocks.examples.router;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the demo's command line as {@code main} would, with its output captured. */
class RouterDemoTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private static final RouterDemo.Serving MUST_NOT_SERVE = (router, downstreams) -> {
        throw new AssertionError("the router should not have started");
    };

    @Test
    void printsOneRowPerStyleWithNoFailedRequest() {
        int status = RouterDemo.run(new String[] {"--requests", "200", "--concurrency", "4", "--max-seconds", "20"},
                out, err, MUST_NOT_SERVE);

        assertEquals(0, status, err());
        String header = out().lines().filter(line -> line.contains("routes lock") && line.contains("req/s"))
                .findFirst().orElseThrow(() -> new AssertionError("no table header in\n" + out()));
        String table = out().substring(out().indexOf(header));
        for (LockStyle style : LockStyle.values()) {
            String start = "(" + style.letter() + ") ";
            String row = table.lines().filter(line -> line.startsWith(start)).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + style + " in\n" + table));
            // (a) AsyncRwLock held  req/s p50 p99 lock-wait updates failed
            List<String> columns = List.of(row.trim().split(" +"));
            assertEquals(List.of(start.trim(), style.lockName(), style.hold()), columns.subList(0, 3), row);
            assertEquals(9, columns.size(), row);
            assertEquals("0", columns.get(8), "failed requests in: " + row);
        }
        // String.lines() also splits at the progress line's carriage returns: every piece must fit.
        assertEquals(List.of(), out().lines().filter(line -> line.length() >= 80).toList(),
                "lines that would wrap in an 80-column terminal");
        assertTrue(out().contains("\r"), "a progress line is rewritten in place");
    }

    @Test
    void aTakenPortIsAClearErrorAndExitStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LoopbackHttpServer.LOOPBACK)) {
            String port = Integer.toString(taken.getLocalPort());

            int routerOnly = RouterDemo.run(new String[] {"--router-only", "--port", port}, out, err, MUST_NOT_SERVE);
            int table = RouterDemo.run(new String[] {"--port", port, "--requests", "10"}, out, err, MUST_NOT_SERVE);

            assertEquals(1, routerOnly);
            assertEquals(1, table);
            String expected = "error: cannot start the router: 127.0.0.1:" + port + " is already in use";
            assertEquals(2, err().lines().filter(line -> line.startsWith(expected)).count(), err());
        }
    }

    @Test
    void routerOnlyServesOverHttpUntilServingReturns() {
        List<String> served = new ArrayList<>();
        int status = RouterDemo.run(new String[] {"--router-only", "--style", "a"}, out, err, (router, downstreams) -> {
            assertEquals(LockStyle.ASYNC_HELD_ACROSS_CALL, router.style());
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(router.uri().resolve("/api/items/1")).build(),
                        HttpResponse.BodyHandlers.ofString());
                served.add(response.statusCode() + " " + response.body());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });

        assertEquals(0, status, err());
        assertEquals(List.of("200 a GET /items/1"), served);
        assertTrue(out().contains("listening on http://127.0.0.1:"), out());
        assertTrue(out().contains("curl -X PUT --data http://127.0.0.1:"), out());
    }

    @Test
    void badArgumentsExitTwoWithTheUsage() {
        for (String[] args : List.of(new String[] {"--bogus"}, new String[] {"--port", "x"},
                new String[] {"--port", "70000"}, new String[] {"--style", "z"}, new String[] {"--requests"})) {
            errBytes.reset();
            assertEquals(2, RouterDemo.run(args, out, err, MUST_NOT_SERVE), String.join(" ", args));
            assertTrue(err().startsWith("error: "), err());
            assertTrue(err().contains("usage: RouterDemo"), err());
        }
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        assertEquals(0, RouterDemo.run(new String[] {"--help"}, out, err, MUST_NOT_SERVE));
        assertTrue(out().startsWith("usage: RouterDemo"), out());
        assertEquals(List.of(), out().lines().filter(line -> line.length() >= 80).toList(), "lines too wide");
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }
}
