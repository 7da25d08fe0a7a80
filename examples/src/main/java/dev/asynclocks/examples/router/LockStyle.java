package dev.asynclocks.examples.router;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the router guards its routes table on the request path: which lock, and whether the read
 * lock is released before the downstream call or held across it. The demo runs one load per style.
 *
 * {@snippet :
 * ProxyRouter router = ProxyRouter.start(0, LockStyle.ASYNC_RELEASED_BEFORE_CALL, routes);
 * }
 */
public enum LockStyle {

    /** (a) AsyncRwLock, read lock held across the downstream call: the mistake. */
    ASYNC_HELD_ACROSS_CALL("a", "AsyncRwLock", true, AsyncRwLockRouteTable::new),

    /** (b) AsyncRwLock, read lock released before the downstream call: the right way. */
    ASYNC_RELEASED_BEFORE_CALL("b", "AsyncRwLock", false, AsyncRwLockRouteTable::new),

    /** (c) JDK ReentrantReadWriteLock on virtual threads, released before the call: the baseline. */
    JDK_RELEASED_BEFORE_CALL("c", "ReentrantReadWriteLock", false, ReentrantRwLockRouteTable::new),

    /** (d) JDK ReentrantReadWriteLock on virtual threads, held across the call. */
    JDK_HELD_ACROSS_CALL("d", "ReentrantReadWriteLock", true, ReentrantRwLockRouteTable::new);

    private final String letter;
    private final String lockName;
    private final boolean holdsAcrossCall;
    private final Function<Map<String, URI>, RouteTable> tableFactory;

    LockStyle(String letter, String lockName, boolean holdsAcrossCall,
              Function<Map<String, URI>, RouteTable> tableFactory) {
        this.letter = letter;
        this.lockName = lockName;
        this.holdsAcrossCall = holdsAcrossCall;
        this.tableFactory = tableFactory;
    }

    /** @return the style's letter on the command line and in the table: a, b, c or d */
    public String letter() {
        return letter;
    }

    /** @return "(a) AsyncRwLock, held across the call" and so on */
    public String label() {
        return "(" + letter + ") " + lockName + ", " + hold() + (holdsAcrossCall ? " across the call" : " before the call");
    }

    /** @return the lock's class name: AsyncRwLock or ReentrantReadWriteLock */
    public String lockName() {
        return lockName;
    }

    /** @return "held" (across the downstream call) or "released" (before it) */
    public String hold() {
        return holdsAcrossCall ? "held" : "released";
    }

    /** @return whether the read lock stays held across the downstream call */
    public boolean holdsAcrossCall() {
        return holdsAcrossCall;
    }

    RouteTable newTable(Map<String, URI> initialRoutes) {
        return tableFactory.apply(initialRoutes);
    }

    /**
     * The style named by a letter.
     *
     * @param letter a, b, c or d (any case)
     * @return the style
     * @throws IllegalArgumentException if no style has that letter
     */
    public static LockStyle ofLetter(String letter) {
        String wanted = letter.trim().toLowerCase(Locale.ROOT);
        for (LockStyle style : values()) {
            if (style.letter.equals(wanted)) {
                return style;
            }
        }
        throw new IllegalArgumentException("unknown style '" + letter + "'; expected one of "
                + Arrays.stream(values()).map(LockStyle::letter).collect(Collectors.joining(", ")));
    }
}
