package dev.asynclocks.stress.pinning;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records {@code jdk.VirtualThreadPinned} with threshold 0 during a contention run and finds no
 * event with a library frame on its stack.
 *
 * <p>The control: a virtual thread parks inside a class initializer, which pins on JDK 21
 * through JDK 25 (the JFR event says "VM call to ...&lt;clinit&gt; on stack"), and the test
 * asserts that this event IS recorded; without it, an empty recording would prove nothing.
 * {@code synchronized} cannot serve as the control: since JDK 24 (JEP 491) a monitor no longer
 * pins, which is also why {@link NoMonitorsInCoreTest} checks core's bytecode for monitors
 * directly. If a future JDK stops pinning in class initializers too, the control assertion
 * fails and a new control is needed (a park inside a native upcall is the remaining candidate).
 *
 * <p>Run twice by the build: with the JDK's default locking, and with JDK 21's legacy locking
 * ({@code -XX:LockingMode=1}, property {@code asynclocks.pinning.legacyLocking}) and leak detection
 * on every hold. In the legacy run a second control parks inside {@code synchronized}, which must
 * pin there: so a monitor anywhere under a library frame (in JDK code the library calls too)
 * would show up as a library event.
 *
 * <p>Warm-up: the first concurrent use of a class loads it from a VM call, and a virtual thread
 * that blocks on the class-loading lock there pins (JFR: "Freeze or preempt failed", with
 * {@code ClassLoader.loadClass} above the library frame that first named the class). That is
 * the JDK's one-time class loading, not the library's waiting, so every path runs once before the
 * recording starts.
 */
class NoPinningEventsTest {

    private static final String LIBRARY = "dev.asynclocks.";
    private static final String TESTS = "dev.asynclocks.stress.";

    /** Whether this JVM runs JDK 21's legacy locking, where a monitor pins (set by the build). */
    static final boolean LEGACY_LOCKING = Boolean.getBoolean("asynclocks.pinning.legacyLocking");

    /** Parks while holding a monitor: the control that must pin under legacy locking. */
    static final class ParksInsideSynchronized {
        private static final Object MONITOR = new Object();

        static void park() {
            synchronized (MONITOR) {
                LockSupport.parkNanos(2_000_000);
            }
        }
    }

    /** Parks in its static initializer: the control. */
    static final class ParksInClassInitializer {
        static {
            LockSupport.parkNanos(2_000_000);
        }

        static void touch() {
        }
    }

    @Test
    void contentionThroughTheLibraryNeverPins() throws Exception {
        Contention.run(200); // warm-up: load every class the run uses (see the class comment)
        Path file = Files.createTempFile("asynclocks-pinning", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            Thread.ofVirtual().start(ParksInClassInitializer::touch).join();
            if (LEGACY_LOCKING) {
                Thread.ofVirtual().start(ParksInsideSynchronized::park).join();
            }
            List<String> phases = Contention.run(2_000);
            recording.stop();
            recording.dump(file);
            phases.forEach(p -> System.out.println("NoPinningEventsTest: " + p));
        }
        try {
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                    .toList();
            long control = events.stream().filter(e -> hasFrame(e, ParksInClassInitializer.class.getName())).count();
            List<String> library = events.stream().filter(NoPinningEventsTest::hasLibraryFrame)
                    .filter(e -> !hasFrame(e, ParksInsideSynchronized.class.getName()))
                    .map(NoPinningEventsTest::describe).toList();
            System.out.println("NoPinningEventsTest: " + events.size() + " pinned events, " + control
                    + " from the control, " + library.size() + " with a library frame");
            assertTrue(control >= 1, "the control did not pin: this JFR check cannot see pinning here");
            if (LEGACY_LOCKING) {
                long monitors = events.stream().filter(e -> hasFrame(e, ParksInsideSynchronized.class.getName())).count();
                System.out.println("NoPinningEventsTest: legacy locking, " + monitors + " from the synchronized control");
                assertTrue(monitors >= 1, "a park inside synchronized did not pin under -XX:LockingMode=1:"
                        + " this run cannot see monitors pinning here");
            }
            assertEquals(List.of(), library, "virtual threads pinned inside the library");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean hasFrame(RecordedEvent event, String className) {
        return event.getStackTrace() != null && event.getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getType().getName().equals(className));
    }

    private static boolean hasLibraryFrame(RecordedEvent event) {
        return event.getStackTrace() != null && event.getStackTrace().getFrames().stream()
                .map(f -> f.getMethod().getType().getName())
                .anyMatch(name -> name.startsWith(LIBRARY) && !name.startsWith(TESTS));
    }

    private static String describe(RecordedEvent event) {
        StringBuilder s = new StringBuilder(String.valueOf(event.getString("pinnedReason")));
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            s.append("\n    at ").append(frame.getMethod().getType().getName()).append('.')
                    .append(frame.getMethod().getName()).append(':').append(frame.getLineNumber());
        }
        return s.toString();
    }
}
