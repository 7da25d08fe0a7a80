package dev.asynclocks.examples.guide;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps docs/guide.md's Java snippets compiled and current. Every {@code ```java} block of the
 * guide must follow a marker naming a tagged region of a source file,
 *
 * <pre>
 * &lt;!-- snippet: examples/src/test/java/dev/asynclocks/examples/guide/GuideSnippetsTest.java#cancel --&gt;
 * </pre>
 *
 * and hold exactly that region (the lines between {@code // tag::cancel[]} and
 * {@code // end::cancel[]}, less their common indentation). Every region of the guide's snippet
 * files must appear in the guide. After changing a region, copy it into the guide with
 * {@code ./mvnw -q -B -pl examples -am verify -Dtest=GuideSnippetsInSyncTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dguide.update=true}.
 */
class GuideSnippetsInSyncTest {

    private static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+)#([\\w-]+) -->$");
    /** A region marker: a line of its own, {@code // tag::name[]} or {@code // end::name[]}. */
    private static final Pattern TAG = Pattern.compile("^\\s*//\\s*(tag|end)::([\\w-]+)\\[]\\s*$");
    private static final List<String> SNIPPET_FILES = List.of(
            "examples/src/test/java/dev/asynclocks/examples/guide/GuideSnippetsTest.java",
            "examples/src/test/java/dev/asynclocks/examples/guide/MigrationSnippetsTest.java");
    private static final String UPDATE_COMMAND = "./mvnw -q -B -pl examples -am verify -Dtest=GuideSnippetsInSyncTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dguide.update=true";

    private final Path root = repositoryRoot();
    private final Path guide = root.resolve("docs/guide.md");

    @Test
    void everyJavaBlockOfTheGuideIsItsTaggedRegion() throws IOException {
        List<String> lines = Files.readAllLines(guide, StandardCharsets.UTF_8);
        List<String> updated = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            updated.add(line);
            if (!line.strip().equals("```java")) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            List<String> block = lines.subList(i + 1, Math.min(end, lines.size()));
            Matcher marker = MARKER.matcher(i > 0 ? lines.get(i - 1).strip() : "");
            if (!marker.matches()) {
                problems.add("guide.md:" + (i + 1) + ": a ```java block without a '<!-- snippet: file#tag -->' line above it");
                updated.addAll(block);
            } else {
                List<String> region = region(marker.group(1), marker.group(2));
                if (!region.equals(block)) {
                    problems.add("guide.md:" + (i + 1) + ": differs from " + marker.group(1) + "#" + marker.group(2));
                }
                updated.addAll(region);
            }
            if (end < lines.size()) {
                updated.add(lines.get(end));
            }
            i = end;
        }
        if (!problems.isEmpty() && Boolean.getBoolean("guide.update")) {
            Files.write(guide, updated, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(List.of(), problems, "docs/guide.md is out of date; to copy the regions in, run: " + UPDATE_COMMAND);
    }

    @Test
    void everyRegionOfTheSnippetFilesIsInTheGuide() throws IOException {
        String text = Files.readString(guide, StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (String file : SNIPPET_FILES) {
            for (String tag : tags(file)) {
                if (!text.contains("<!-- snippet: " + file + "#" + tag + " -->")) {
                    missing.add(file + "#" + tag);
                }
            }
        }
        assertEquals(List.of(), missing, "regions nobody shows: put them in docs/guide.md, or drop the tags");
    }

    @Test
    void theRegionExtractorDropsMarkersAndCommonIndentation() {
        List<String> source = List.of(
                "class X {",
                "    void f() {",
                "        // tag::outer[]",
                "        int a = 1;",
                "        // tag::inner[]",
                "        if (a > 0) {",
                "            a++;",
                "        }",
                "        // end::inner[]",
                "        // end::outer[]",
                "    }",
                "}");
        assertEquals(List.of("if (a > 0) {", "    a++;", "}"), region(source, "inner", "X"));
        assertEquals(List.of("int a = 1;", "if (a > 0) {", "    a++;", "}"), region(source, "outer", "X"));
    }

    private List<String> region(String file, String tag) throws IOException {
        Path path = root.resolve(file);
        assertTrue(Files.isRegularFile(path), "no such file: " + file);
        return region(Files.readAllLines(path, StandardCharsets.UTF_8), tag, file);
    }

    private static List<String> region(List<String> source, String tag, String file) {
        List<String> region = null;
        for (String line : source) {
            Matcher m = TAG.matcher(line);
            if (m.matches()) {
                if (m.group(2).equals(tag)) {
                    if (m.group(1).equals("tag")) {
                        region = new ArrayList<>();
                    } else {
                        return dedent(region == null ? fail("end before tag: " + file + "#" + tag) : region);
                    }
                }
                continue;                                 // markers of any region never show
            }
            if (region != null) {
                region.add(line);
            }
        }
        return fail("no region " + file + "#" + tag);
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return lines.stream().map(line -> line.isBlank() ? "" : line.substring(indent).stripTrailing()).toList();
    }

    private Set<String> tags(String file) throws IOException {
        Set<String> tags = new LinkedHashSet<>();
        for (String line : Files.readAllLines(root.resolve(file), StandardCharsets.UTF_8)) {
            Matcher m = TAG.matcher(line);
            if (m.matches() && m.group(1).equals("tag")) {
                tags.add(m.group(2));
            }
        }
        return tags;
    }

    /** Surefire runs in examples/; the repository root is the nearest parent with docs/guide.md. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/guide.md"))) {
                return dir;
            }
        }
        return fail("no docs/guide.md in " + Path.of("").toAbsolutePath() + " or above");
    }
}
