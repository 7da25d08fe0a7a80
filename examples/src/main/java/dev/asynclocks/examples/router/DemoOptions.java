package dev.asynclocks.examples.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's command line, parsed. Flags take their value as the next argument or after
 * {@code =}: {@code --port 8080} or {@code --port=8080}.
 *
 * {@snippet :
 * DemoOptions options = DemoOptions.parse(new String[] {"--requests", "2000", "--style", "a,b"});
 * }
 *
 * @param routerOnly  serve the router (and its downstreams) until killed, with no load and no table
 * @param port        the router's port; 0 for any free one
 * @param requests    requests per style
 * @param concurrency requests in flight at once
 * @param updateEvery the pause between two route updates during a load; zero for none
 * @param timeLimit   the longest a load may run per style
 * @param styles      the styles to measure (or, with {@code routerOnly}, the first to serve)
 * @param help        print the usage and exit
 */
record DemoOptions(boolean routerOnly, int port, int requests, int concurrency, Duration updateEvery,
                   Duration timeLimit, List<LockStyle> styles, boolean help) {

    static final String USAGE = """
            usage: RouterDemo [--router-only] [--port N] [--requests N] [--concurrency N]
                              [--update-every-ms N] [--max-seconds N] [--style a,b,c,d]

            Starts two downstream servers on 127.0.0.1 (each answers in 2-5 ms), a proxy
            router in front of them, and a load of requests while a route moves between the
            two downstreams. Prints requests/s, p50/p99 latency and the p99 wait for the
            routes lock, for each way of holding that lock:
              (a) AsyncRwLock, read lock held across the downstream call
              (b) AsyncRwLock, read lock released before the call (the right way)
              (c) ReentrantReadWriteLock on virtual threads, released before the call
              (d) ReentrantReadWriteLock on virtual threads, held across the call

              --router-only        serve the router until killed (Ctrl-C), no load
              --port N             the router's port (default 0: any free port)
              --requests N         requests per style (default 8000)
              --concurrency N      requests in flight at once (default 16)
              --update-every-ms N  pause between route updates (default 5; 0: none)
              --max-seconds N      cap on each style's load, in seconds (default 8)
              --style LIST         styles to run, comma-separated (default a,b,c,d); with
                                   --router-only, the style to serve (default b)
              --help               print this and exit

            Through Maven, flags go in demo.args:
              ./mvnw -q -B -pl examples -am verify -DskipTests -Pdemo -Ddemo.args="--help"
            Exit status: 0 done, 1 a port was taken or a request failed, 2 bad arguments.""";


    /**
     * Parses the command line.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException with a message for the user, on an unknown flag or bad value
     */
    static DemoOptions parse(String[] args) {
        boolean routerOnly = false;
        boolean help = false;
        int port = 0;
        int requests = 8000;
        int concurrency = 16;
        int updateEveryMs = 5;
        int maxSeconds = 8;
        List<LockStyle> styles = null;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.isBlank()) {
                continue;                                   // an empty -Ddemo.args
            }
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (flag) {
                case "--router-only" -> routerOnly = true;
                case "--help", "-h" -> help = true;
                case "--port" -> port = intValue(flag, value != null ? value : valueAfter(args, ++i, flag), 0, 65535);
                case "--requests" -> requests = intValue(flag, value != null ? value : valueAfter(args, ++i, flag), 1, 10_000_000);
                case "--concurrency" -> concurrency = intValue(flag, value != null ? value : valueAfter(args, ++i, flag), 1, 10_000);
                case "--update-every-ms" -> updateEveryMs = intValue(flag, value != null ? value : valueAfter(args, ++i, flag), 0, 60_000);
                case "--max-seconds" -> maxSeconds = intValue(flag, value != null ? value : valueAfter(args, ++i, flag), 1, 3600);
                case "--style" -> styles = styles(value != null ? value : valueAfter(args, ++i, flag));
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (styles == null) {
            styles = routerOnly ? List.of(LockStyle.ASYNC_RELEASED_BEFORE_CALL) : List.of(LockStyle.values());
        }
        return new DemoOptions(routerOnly, port, requests, concurrency, Duration.ofMillis(updateEveryMs),
                Duration.ofSeconds(maxSeconds), styles, help);
    }

    private static String valueAfter(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String flag, String text, int min, int max) {
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static List<LockStyle> styles(String text) {
        List<LockStyle> styles = new ArrayList<>();
        for (String letter : text.split(",")) {
            LockStyle style = LockStyle.ofLetter(letter);
            if (!styles.contains(style)) {
                styles.add(style);
            }
        }
        return styles;
    }
}
