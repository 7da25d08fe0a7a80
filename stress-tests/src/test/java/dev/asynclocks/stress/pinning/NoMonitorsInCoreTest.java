package dev.asynclocks.stress.pinning;

import dev.asynclocks.AsyncMutex;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Core's class files contain no {@code synchronized} method, no {@code monitorenter}, no call to
 * {@code Object.wait} or {@code Thread.sleep}: on JDK 21 a virtual thread that parks while
 * holding a monitor pins its carrier. (On JDK 24+ monitors no longer pin, JEP 491, so the JFR
 * test cannot see this; the bytecode can.)
 */
class NoMonitorsInCoreTest {

    @Test
    void coreHasNoMonitorsWaitsOrSleeps() throws Exception {
        List<MonitorScanner.Finding> findings = new ArrayList<>();
        int classes = forEachCoreClass((name, bytes) -> findings.addAll(MonitorScanner.scan(bytes)));
        System.out.println("NoMonitorsInCoreTest: scanned " + classes + " core classes");
        assertTrue(classes >= 10, "found only " + classes + " core classes; is the class path right?");
        assertEquals(List.of(), findings, "core must not use monitors, wait or sleep");
    }

    /** The scanner finds every construct it looks for: a check that cannot fail proves nothing. */
    @Test
    void scannerFindsEachForbiddenConstruct() throws Exception {
        byte[] control;
        try (InputStream in = SynchronizedControl.class.getResourceAsStream("SynchronizedControl.class")) {
            control = in.readAllBytes();
        }
        List<String> found = MonitorScanner.scan(control).stream().map(MonitorScanner.Finding::toString).toList();
        assertTrue(found.stream().anyMatch(f -> f.contains("synchronizedMethod()V: ACC_SYNCHRONIZED")), found::toString);
        assertTrue(found.stream().anyMatch(f -> f.contains("synchronizedBlock()V: monitorenter")), found::toString);
        assertTrue(found.stream().anyMatch(f -> f.contains("waits()V: call to java/lang/Object.wait")), found::toString);
        assertTrue(found.stream().anyMatch(f -> f.contains("sleeps()V: call to java/lang/Thread.sleep")), found::toString);
        assertTrue(found.stream().noneMatch(f -> f.contains("switches")), found::toString);
    }

    interface ClassVisitor {
        void visit(String name, byte[] bytes) throws IOException;
    }

    /** Visits every class file of the jar or directory that holds core's AsyncMutex. */
    static int forEachCoreClass(ClassVisitor visitor) throws IOException, URISyntaxException {
        Path location = Path.of(AsyncMutex.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        int count = 0;
        if (Files.isDirectory(location)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(location)) {
                files = walk.filter(p -> p.toString().endsWith(".class")).toList();
            }
            for (Path file : files) {
                if (!file.getFileName().toString().equals("module-info.class")) {
                    visitor.visit(location.relativize(file).toString(), Files.readAllBytes(file));
                    count++;
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (JarEntry entry : jar.stream().toList()) {
                    if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            visitor.visit(entry.getName(), in.readAllBytes());
                        }
                        count++;
                    }
                }
            }
        }
        return count;
    }
}
