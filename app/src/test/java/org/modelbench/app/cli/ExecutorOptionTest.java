package org.modelbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/** {@code run --executor} and the manifest's {@code executor:}: bad names are one line, exit 2, nothing written. */
class ExecutorOptionTest {
    @TempDir
    Path project;

    private Path manifest(String extra) throws IOException {
        Path manifest = project.resolve("tiny.yaml");
        Files.writeString(manifest, CliRun.tinyManifest("tiny") + extra);
        return manifest;
    }

    private void assertOneLineError(CliRun run, String expected) {
        assertEquals(2, run.exitCode(), run.out() + run.err());
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(expected), err);
        assertFalse(Files.exists(project.resolve("runs")), "nothing written");
    }

    @Test
    void anUnknownExecutorIsOneLine() throws IOException {
        CliRun run = CliRun.of("run", "--executor", "kubernetes", manifest("").toString(),
                "--project-dir", project.toString());
        assertOneLineError(run, "expected local, spark or slurm, got 'kubernetes'");
    }

    @Test
    void anUnknownManifestExecutorNamesTheKey() throws IOException {
        CliRun run = CliRun.of("run", manifest("executor: {type: condor}\n").toString(),
                "--project-dir", project.toString());
        assertOneLineError(run, "executor.type: expected one of local, spark, slurm, got \"condor\"");
    }

    @Test
    void aBadSlurmMemoryNamesTheKey() throws IOException {
        CliRun run = CliRun.of("run", "--check", manifest("executor: {type: slurm, slurm: {memory: lots}}\n").toString(),
                "--project-dir", project.toString());
        assertOneLineError(run, "executor.slurm.memory: expected a size such as 4g or 3500m, got \"lots\"");
        CliRun model = CliRun.of("run", "--check",
                manifest("executor: {slurm: {modelMemory: {nosuch: 2g}}}\n").toString(), "--project-dir",
                project.toString());
        assertOneLineError(model, "executor.slurm.modelMemory.nosuch: expected the id of a model of this manifest "
                + "(softmax, softmax-std, centroid)");
    }

    @Test
    void theExecutorIsNotPartOfTheResolvedConfig() throws IOException {
        CliRun local = CliRun.of("run", "--plan-only", manifest("executor: {type: local, slurm: {memory: 2g}}\n")
                .toString(), "--project-dir", project.toString());
        assertEquals(0, local.exitCode(), local.err());
        String resolved = Files.readString(Path.of(local.out().strip()).resolve("resolved.json"));
        assertFalse(resolved.contains("executor"), resolved);
    }

    /** The app's own tests never have the Spark adapter (module executor-spark) on the class path. */
    @Test
    void withoutTheAdapterSparkIsOneLineSayingItIsMissing() throws IOException {
        assertOneLineError(CliRun.of("run", "--executor", "spark", manifest("").toString(), "--project-dir",
                project.toString()), "modelbench: error: --executor spark: the Spark adapter (module executor-spark) "
                + "is missing");
        assertOneLineError(CliRun.of("run", manifest("executor: {type: spark}\n").toString(), "--project-dir",
                project.toString()), "the Spark adapter (module executor-spark) is missing");
    }

    @Test
    void aBadSparkMasterNamesTheKeyOrTheOption() throws IOException {
        assertOneLineError(CliRun.of("run", "--check", manifest("executor: {spark: {master: yarn}}\n").toString(),
                "--project-dir", project.toString()),
                "executor.spark.master: expected local[N], local[N,F] or spark://host:port, got \"yarn\"");
        assertOneLineError(CliRun.of("run", "--executor", "spark", "--spark-master", "mesos://x:5050",
                manifest("").toString(), "--project-dir", project.toString()),
                "--spark-master: expected local[N], local[N,F] or spark://host:port, got \"mesos://x:5050\"");
    }

    @Test
    void slurmOptionsAreRefusedWithTheLocalExecutor() throws IOException {
        CliRun run = CliRun.of("run", "--executor", "local", "--wait", manifest("").toString(),
                "--project-dir", project.toString());
        assertOneLineError(run, "--wait: only applies to --executor slurm, not local");
    }

    @Test
    void aBadLauncherOrMemoryIsOneLineBeforeAnythingIsWritten() throws IOException {
        Path notExecutable = Files.writeString(project.resolve("launcher.txt"), "#!/bin/sh\n");
        CliRun run = CliRun.of("run", "--executor", "slurm", "--launcher", notExecutable.toString(),
                manifest("").toString(), "--project-dir", project.toString());
        assertOneLineError(run, "--launcher: " + notExecutable + " is not an executable file; expected the "
                + "modelbench launcher");
        Path launcher = project.resolve("modelbench");
        Files.writeString(launcher, "#!/bin/sh\n");
        assertTrue(launcher.toFile().setExecutable(true));
        CliRun memory = CliRun.of("run", "--executor", "slurm", "--launcher", launcher.toString(), "--mem", "lots",
                manifest("").toString(), "--project-dir", project.toString());
        assertOneLineError(memory, "--mem: expected a size such as 4g or 3500m, got \"lots\"");
        CliRun partition = CliRun.of("run", "--executor", "slurm", "--launcher", launcher.toString(), "--partition",
                "a b", manifest("").toString(), "--project-dir", project.toString());
        assertOneLineError(partition, "--partition: expected a SLURM name of letters, digits");
    }
}
