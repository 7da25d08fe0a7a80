package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Core must never pin a carrier or block in a monitor: no {@code synchronized} method or block, no
 * {@code Object.wait}, no {@code Thread.sleep}. Checked on the compiled classes with {@code javap}.
 */
class CoreUsesNoMonitorsTest {

    @Test
    void noCoreClassUsesSynchronizedWaitOrSleep() throws Exception {
        Path classes = Path.of(AsyncMutex.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "expected the compiled classes directory, got " + classes);
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classes)) {
            walk.filter(p -> p.toString().endsWith(".class")).forEach(p -> files.add(p.toString()));
        }
        assertTrue(files.size() >= 10, "found only " + files);
        assertTrue(files.stream().anyMatch(f -> f.endsWith("HandOffSemaphore.class")), "engine not found");

        String listing = javap(files);
        List<String> offences = new ArrayList<>();
        String currentClass = "?";
        String currentMethod = "?";
        for (String line : listing.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Classfile ")) {
                currentClass = trimmed.substring("Classfile ".length());
            } else if (line.startsWith("  ") && !line.startsWith("   ") && trimmed.endsWith(";") && trimmed.contains("(")) {
                currentMethod = trimmed;
            }
            if (trimmed.startsWith("flags:") && trimmed.contains("ACC_SYNCHRONIZED")) {
                offences.add(currentClass + " " + currentMethod + ": synchronized method");
            }
            if (trimmed.matches("\\d+: monitor(enter|exit).*")) {
                offences.add(currentClass + " " + currentMethod + ": " + trimmed);
            }
            if (trimmed.contains("java/lang/Object.wait:") || trimmed.contains("java/lang/Thread.sleep:")) {
                offences.add(currentClass + " " + currentMethod + ": " + trimmed);
            }
        }
        assertEquals(List.of(), offences);
        assertTrue(listing.contains("ACC_"), "javap printed no flags; is the listing empty?");
        assertFalse(listing.isBlank());
    }

    /** Runs javap in process if the JDK offers it as a tool, else as a process from java.home. */
    private static String javap(List<String> files) throws IOException, InterruptedException, URISyntaxException {
        List<String> args = new ArrayList<>(List.of("-c", "-v", "-p"));
        args.addAll(files);
        Optional<ToolProvider> tool = ToolProvider.findFirst("javap");
        if (tool.isPresent()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            try (PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
                 PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8)) {
                code = tool.get().run(o, e, args.toArray(String[]::new));
            }
            assertEquals(0, code, "javap failed: " + err.toString(StandardCharsets.UTF_8));
            return out.toString(StandardCharsets.UTF_8);
        }
        Path javap = Path.of(System.getProperty("java.home"), "bin", "javap");
        List<String> command = new ArrayList<>();
        command.add(javap.toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "javap failed: " + output);
        return output;
    }
}
