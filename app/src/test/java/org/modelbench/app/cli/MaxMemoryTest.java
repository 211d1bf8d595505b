package org.modelbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/**
 * {@code --max-memory}: the budget that {@code run --check} holds models to before a bundle exists.
 * An MLP 4 -> 2048 -> 2048 -> 3 has 4,212,739 parameters, about 64 MiB with gradients and two
 * optimiser moments.
 */
class MaxMemoryTest {
    @TempDir
    Path project;

    private Path manifest() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,c,d,y\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i).append(',').append(i % 7).append(',').append(i % 5).append(',').append(i % 3).append(',')
                    .append("k").append(i % 3).append('\n');
        }
        Files.writeString(project.resolve("t.csv"), csv);
        Path manifest = project.resolve("wide.yaml");
        Files.writeString(manifest, """
                name: wide
                dataset: {id: csv, params: {train: t.csv, label: y}, testSize: 6}
                models:
                  - id: wide-mlp
                    family: mlp
                    params: {hidden: [2048, 2048], epochs: 1}
                seeds: [1]
                """);
        return manifest;
    }

    @Test
    void aModelOverTheBudgetIsRefusedAtTheCheckInOneLine() throws IOException {
        Path manifest = manifest();
        CliRun small = CliRun.of("--max-memory", "32m", "run", "--check", manifest.toString(),
                "--project-dir", project.toString());
        assertEquals(2, small.exitCode(), small.err());
        String err = small.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("model mlp has 4212739 parameters"), err);
        assertTrue(err.contains("more than the memory budget of 32 MiB (--max-memory"), err);

        CliRun afterTheCommand = CliRun.of("run", "--check", "--max-memory", "32768k", manifest.toString(),
                "--project-dir", project.toString());
        assertEquals(2, afterTheCommand.exitCode(), afterTheCommand.err());
        assertTrue(afterTheCommand.err().contains("memory budget of 32 MiB"), afterTheCommand.err());

        CliRun large = CliRun.of("--max-memory", "2g", "run", "--check", manifest.toString(),
                "--project-dir", project.toString());
        assertEquals(0, large.exitCode(), large.err());
        assertTrue(Files.notExists(project.resolve("runs")), "a check writes no bundle");
    }

    @Test
    void badSizesAreUsageErrors() throws IOException {
        Path manifest = manifest();
        for (String size : new String[] {"lots", "1t", "1k", "-5m"}) {
            CliRun run = CliRun.of("--max-memory", size, "run", "--check", manifest.toString(),
                    "--project-dir", project.toString());
            assertEquals(2, run.exitCode(), size + ": " + run.err());
            String err = run.err().strip();
            assertEquals(1, err.lines().count(), size + ": " + err);
            assertTrue(err.startsWith("modelbench: error:") && err.contains("--max-memory"), size + ": " + err);
        }
    }
}
