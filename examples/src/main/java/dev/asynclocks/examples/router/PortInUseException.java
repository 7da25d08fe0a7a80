package dev.asynclocks.examples.router;

/**
 * A server could not listen because its port is taken. The message says which server, which port,
 * and what to do about it.
 *
 * {@snippet :
 * try {
 *     router = ProxyRouter.start(8080, LockStyle.ASYNC_RELEASED_BEFORE_CALL, routes);
 * } catch (PortInUseException e) {
 *     System.err.println("error: " + e.getMessage());   // "cannot start the router: 127.0.0.1:8080 is already in use ..."
 * }
 * }
 */
public final class PortInUseException extends RuntimeException {

    private final int port;

    PortInUseException(String what, int port, Throwable cause) {
        super("cannot start the " + what + ": 127.0.0.1:" + port + " is already in use"
                + " (another router still running?); pick another port with --port N, or --port 0 for any free one",
                cause);
        this.port = port;
    }

    /** @return the port that was taken */
    public int port() {
        return port;
    }
}
