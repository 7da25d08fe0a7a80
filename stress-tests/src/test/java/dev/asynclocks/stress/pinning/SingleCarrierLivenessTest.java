package dev.asynclocks.stress.pinning;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 10,000 virtual threads contend through {@code lock()}, {@code acquire().join()},
 * {@code lock(timeout)}, the read-write lock and the semaphore, on a JVM with exactly one
 * carrier thread, each holder parking or yielding inside its section. A library that ever
 * blocked the carrier while waiting (a monitor on JDK 21, a spin, a native block) would stall:
 * the child would never finish. Two minutes is the failure signal, not a timing assertion (the
 * run takes seconds). The control shows the check can fail: a busy-spinning lock never finishes
 * on one carrier.
 */
class SingleCarrierLivenessTest {

    private static final int THREADS = 10_000;
    private static final long BOUND_MINUTES = 2;

    @Test
    void tenThousandVirtualThreadsFinishOnOneCarrier() throws Exception {
        Process child = startOnOneCarrier(Integer.toString(THREADS));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().daemon().start(() -> copy(child.getInputStream(), output));
        if (!child.waitFor(BOUND_MINUTES, TimeUnit.MINUTES)) {
            child.destroyForcibly().waitFor();
            fail("no progress on a single carrier within " + BOUND_MINUTES + " minutes; output so far:\n" + text(output));
        }
        drain.join();
        String out = text(output);
        System.out.print("SingleCarrierLivenessTest child:\n" + out);
        assertEquals(0, child.exitValue(), out);
        long phases = out.lines().filter(l -> l.contains(THREADS + " sections")).count();
        assertEquals(5, phases, out);
        assertTrue(out.lines().filter(l -> l.contains("sections")).allMatch(l -> l.matches(".*carriers \\[[^,]*]$")),
                "every phase must have run on one carrier thread:\n" + out);
    }

    /** The control: a spin lock whose holder parks must stall a one-carrier JVM. */
    @Test
    void spinningLockStallsOnOneCarrier() throws Exception {
        Process child = startOnOneCarrier("spin-control");
        try {
            boolean finished = child.waitFor(5, TimeUnit.SECONDS);
            assertTrue(!finished || child.exitValue() != 0,
                    "the spinning control finished on one carrier: this check cannot detect a stall here");
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private static Process startOnOneCarrier(String argument) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Djdk.virtualThreadScheduler.parallelism=1",
                "-Djdk.virtualThreadScheduler.maxPoolSize=1"));
        if (NoPinningEventsTest.LEGACY_LOCKING) {
            // JDK 21's monitors (a monitor pins the one carrier) and every hold watched for leaks.
            command.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+UnlockExperimentalVMOptions",
                    "-XX:LockingMode=1", "-Ddev.asynclocks.leakDetection=all"));
        } else {
            command.add("-Ddev.asynclocks.leakDetection=off");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                SingleCarrierContention.class.getName(), argument));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .start();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
