package dev.asynclocks;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the library logs through the {@code System.Logger} {@code dev.asynclocks}
 * (java.util.logging underneath) while open, and keeps it out of the build log.
 *
 * {@snippet :
 * try (CapturedLog log = new CapturedLog()) {
 *     // ... provoke a report ...
 *     assertEquals(1, log.count("LEAK"));
 * }
 * }
 */
final class CapturedLog implements AutoCloseable {

    private final Logger logger = Logger.getLogger("dev.asynclocks");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) { // test code: the library itself never uses synchronized
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    CapturedLog() {
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /** @return how many records so far have a message containing {@code text} */
    int count(String text) {
        return matching(text).size();
    }

    /** @return the first record whose message contains {@code text}; fails if there is none */
    LogRecord first(String text) {
        List<LogRecord> matching = matching(text);
        if (matching.isEmpty()) {
            throw new AssertionError("nothing logged containing '" + text + "'");
        }
        return matching.getFirst();
    }

    private List<LogRecord> matching(String text) {
        synchronized (records) {
            return records.stream().filter(r -> r.getMessage().contains(text)).toList();
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(true);
    }
}
