package dev.asynclocks.benchmarks;

import dev.asynclocks.benchmarks.report.ChartGenerator;
import dev.asynclocks.benchmarks.report.MarkdownReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the benchmarks from rotting: runs four JMH benchmarks for a moment (ours and three contenders,
 * in this JVM), the memory program on a small queue, and the report and chart generators on their
 * output. Asserts only that everything ran and produced its parts, never a timing.
 */
class BenchmarkSuiteSmokeTest {

    @Test
    void benchmarksMemoryProgramAndReportsRun(@TempDir Path dir) throws Exception {
        // A smoke run measures nothing, so it may share the machine with a real JMH run.
        System.setProperty("jmh.ignoreLock", "true");
        Path jmhJson = dir.resolve("smoke.json");
        Options options = new OptionsBuilder()
                .include(UncontendedBenchmark.class.getName()
                        + "\\.(asyncMutexAcquire|ibmFairAsyncLock|vertxLocalLock|guavaExecutionSequencer)$")
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .resultFormat(ResultFormatType.JSON)
                .result(jmhJson.toString())
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertEquals(4, results.size(), "benchmarks run");

        Path memoryJson = dir.resolve("smoke-memory.json");
        QueuedWaiterMemory.main(new String[] {memoryJson.toString(), "1000", "1"});

        Path markdown = dir.resolve("benchmarks.md");
        Files.writeString(markdown, "# Benchmarks\n\nprose before\n\n<!-- results:begin -->\nold\n<!-- results:end -->\n\nprose after\n");
        MarkdownReport.main(new String[] {markdown.toString(), jmhJson.toString(), memoryJson.toString()});
        String report = Files.readString(markdown);
        assertTrue(report.contains("prose before") && report.contains("prose after"), report);
        assertTrue(!report.contains("\nold\n"), "generated section replaced\n" + report);
        assertTrue(report.contains("| **AsyncMutex acquire()** |"), report);
        assertTrue(report.contains("IBM FairAsyncLock"), report);
        assertTrue(report.contains("bytes per queued waiter"), report);

        Path svg = dir.resolve("benchmarks.svg");
        ChartGenerator.main(new String[] {svg.toString(), jmhJson.toString(), memoryJson.toString()});
        String chart = Files.readString(svg);
        assertTrue(chart.startsWith("<svg") && chart.contains("AsyncMutex acquire()"), chart);
    }
}
