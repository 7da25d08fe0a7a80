package dev.asynclocks.stress.mutants;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hand-made mutants ({@code stress-tests/mutants/M*.patch}, run by {@code run.sh}) must still
 * apply to the engine as it is: a refactoring that moves the lines they change silently turns the
 * mutant suite off ({@code run.sh} stops at the first patch that does not apply). Checked with
 * {@code git apply --check}, which changes nothing; skipped outside a git checkout.
 */
class MutantPatchesApplyTest {

    /** Surefire runs in the module's folder. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyMutantPatchAppliesToTheEngineAsItIs() throws IOException, InterruptedException {
        assumeTrue(Files.exists(ROOT.resolve(".git")), "not a git checkout");
        List<Path> patches;
        try (Stream<Path> files = Files.list(ROOT.resolve("stress-tests/mutants"))) {
            patches = files.filter(p -> p.getFileName().toString().endsWith(".patch")).sorted().toList();
        }
        assertFalse(patches.isEmpty(), "no mutant patches found");
        for (Path patch : patches) {
            Process git = new ProcessBuilder("git", "apply", "--check", patch.toString())
                    .directory(ROOT.toFile()).redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(git.waitFor(60, TimeUnit.SECONDS), "git apply --check did not finish: " + patch);
            assertEquals(0, git.exitValue(), patch.getFileName() + " no longer applies to the engine; make it"
                    + " again against the current source (stress-tests/mutants/run.sh):\n" + output);
        }
    }
}
