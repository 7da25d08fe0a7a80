package dev.asynclocks.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code benchmarks/results/} holds the files of every run that {@code docs/benchmarks.md} cites, and
 * only those (see {@code benchmarks/results/README.md}): every file the generated section names is
 * there, and every run folder there is named by it.
 */
class BenchmarkResultsCitedTest {

    /** Surefire runs in the module's folder. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RESULTS = ROOT.resolve("benchmarks/results");

    private static List<String> cited() throws IOException {
        List<String> sources = MarkdownReport.citedSources(Files.readString(ROOT.resolve("docs/benchmarks.md")));
        assertFalse(sources.isEmpty(), "docs/benchmarks.md has no generated results section");
        return sources;
    }

    @Test
    void everyFileTheDocsCiteIsACitedRunInTheRepository() throws IOException {
        for (String source : cited()) {
            assertTrue(source.startsWith("benchmarks/results/") && !source.startsWith("benchmarks/results/scratch/"),
                    "docs/benchmarks.md cites " + source + ", which is not a cited run's file: make the run with"
                            + " CITE=<name> bash benchmarks/run.sh");
            assertTrue(Files.isRegularFile(ROOT.resolve(source)),
                    "docs/benchmarks.md cites " + source + ", which is not in the repository: commit it");
        }
    }

    @Test
    void everyRunInTheResultsFolderIsCited() throws IOException {
        List<String> cited = cited();
        try (Stream<Path> entries = Files.list(RESULTS)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.equals("README.md") || name.equals("scratch")) {
                    continue;
                }
                String prefix = "benchmarks/results/" + name + "/";
                assertTrue(Files.isDirectory(entry) && cited.stream().anyMatch(s -> s.startsWith(prefix)),
                        "benchmarks/results/" + name + " is not cited by docs/benchmarks.md: remove it, or move"
                                + " a scratch run to benchmarks/results/scratch/");
            }
        }
    }
}
