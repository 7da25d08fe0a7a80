package dev.asynclocks.examples.router;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One status line, rewritten in place with a carriage return while a load runs, and erased when
 * it is done.
 *
 * {@snippet :
 * ProgressLine progress = new ProgressLine(System.out, "(b) AsyncRwLock, released before the call", 8000);
 * progress.update(1234, elapsedNanos);   // "(b) AsyncRwLock, released before the call   1,234/8,000, 4,321 req/s"
 * progress.clear();
 * }
 */
final class ProgressLine {

    /** Fits an 80-column terminal: a line that wrapped could not be rewritten by a carriage return. */
    private static final int MAX_WIDTH = 79;

    private final PrintStream out;
    private final String label;
    private final int total;
    private int width;

    ProgressLine(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /**
     * @param completed    requests answered so far
     * @param elapsedNanos time since the load started
     */
    void update(int completed, long elapsedNanos) {
        String counts = String.format(Locale.ROOT, " %,d/%,d, %,.0f req/s", completed, total,
                elapsedNanos == 0 ? 0.0 : completed * 1e9 / elapsedNanos);
        int room = Math.max(10, MAX_WIDTH - counts.length());
        String shown = label.length() > room ? label.substring(0, room - 1) + "~" : label;
        String line = String.format(Locale.ROOT, "%-" + room + "s", shown) + counts;
        width = Math.max(width, line.length());
        out.print("\r" + line);
        out.flush();
    }

    /** Erases the line, if one was printed. */
    void clear() {
        if (width > 0) {
            out.print("\r" + " ".repeat(width) + "\r");
            out.flush();
        }
    }
}
