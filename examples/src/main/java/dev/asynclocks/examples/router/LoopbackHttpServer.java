package dev.asynclocks.examples.router;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK {@link HttpServer} on 127.0.0.1 whose exchanges each run on their own virtual thread.
 * Shared by the {@linkplain Downstream downstreams} and the {@linkplain ProxyRouter router}.
 *
 * {@snippet :
 * try (LoopbackHttpServer server = LoopbackHttpServer.bind(0, "downstream a")) {  // 0: any free port
 *     server.http().createContext("/", exchange -> { ... });
 *     server.start();
 *     System.out.println(server.uri());                                        // http://127.0.0.1:41234
 * }
 * }
 */
final class LoopbackHttpServer implements AutoCloseable {

    /** 127.0.0.1, spelled out: {@code InetAddress.getLoopbackAddress()} may be {@code ::1}. */
    static final InetAddress LOOPBACK = loopback();

    /** Room for a burst of connections from a load generator; the kernel caps it at somaxconn. */
    private static final int BACKLOG = 1024;

    private final HttpServer http;
    private final ExecutorService handlers;

    private LoopbackHttpServer(HttpServer http, ExecutorService handlers) {
        this.http = http;
        this.handlers = handlers;
    }

    /**
     * Binds 127.0.0.1:{@code port}, not yet serving.
     *
     * @param port a port, or 0 for any free one
     * @param what what the server is, for the error message ("router", "downstream a")
     * @return the bound server
     * @throws PortInUseException if the port is taken
     */
    static LoopbackHttpServer bind(int port, String what) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(LOOPBACK, port), BACKLOG);
        } catch (BindException e) {
            throw new PortInUseException(what, port, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + what + " on 127.0.0.1:" + port, e);
        }
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(handlers);
        return new LoopbackHttpServer(http, handlers);
    }

    /** @return the JDK server, to add contexts to before {@link #start()} */
    HttpServer http() {
        return http;
    }

    void start() {
        http.start();
    }

    /** @return the port actually bound */
    int port() {
        return http.getAddress().getPort();
    }

    /** @return {@code http://127.0.0.1:<port>} */
    URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Stops at once: closes the listener and every connection, then lets handlers finish. */
    @Override
    public void close() {
        http.stop(0);
        handlers.shutdown();
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError("a literal address needs no lookup", e);
        }
    }
}
