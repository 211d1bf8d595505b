package org.modelbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.cli.Cli;
import org.modelbench.app.run.Bundle;

/**
 * The Spark executor in {@code local[2]}: the same bundle as the local executor with {@code --jobs 2}
 * (metrics, learning curves, predictions and model checksums), on real MNIST with the real families.
 */
class SparkExecutorTest {
    @TempDir
    static Path work;
    static Bundles.Run reference;

    @BeforeAll
    static void referenceRun() throws IOException {
        reference = Bundles.run(work.resolve("local"), Bundles.localJobs(2));
    }

    /** Through the command line: the adapter found with ServiceLoader, the default master local[2]. */
    @Test
    void localTwoGivesTheBundleOfJobsTwo() throws IOException {
        Path project = work.resolve("spark");
        Path manifest = Bundles.writeManifest(project);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new String[] {"--plugins-dir", project.resolve("no-plugins").toString(), "run",
                manifest.toString(), "--executor", "spark", "--project-dir", project.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err + "\n" + out);
        Bundle bundle = Bundles.only(project);
        Bundles.assertSameResults(reference.bundle(), bundle);
        assertTrue(Files.isRegularFile(bundle.root().resolve(Bundle.REPORT_HTML)));
        String log = out.toString();
        assertTrue(log.contains("spark: 8 trial(s) on local[2], spark.task.cpus=1"), log);
        assertTrue(log.matches("(?s).*\\[8/8] forest seed 2: done on executor driver on .*8/8 trials done.*"), log);
        assertTrue(log.contains("started on executor driver"), log);
    }

    /**
     * {@code --spark-shared-bundle}: the executors open the driver's bundle folder itself and write
     * their trial folders into it (nothing crosses the wire but the outcome); the bundle is still
     * the one of {@code --jobs 2}, and no executor-side copy of the bundle is left behind.
     */
    @Test
    void aSharedBundleGivesTheBundleOfJobsTwo() throws IOException {
        Path project = work.resolve("shared");
        Path manifest = Bundles.writeManifest(project);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> copiesBefore = executorCopies(tmp);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new String[] {"--plugins-dir", project.resolve("no-plugins").toString(), "run",
                manifest.toString(), "--executor", "spark", "--spark-shared-bundle", "--project-dir", project.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err + "\n" + out);
        Bundle bundle = Bundles.only(project);
        Bundles.assertSameResults(reference.bundle(), bundle);
        String log = out.toString();
        assertTrue(log.contains("executors write into the shared bundle folder"), log);
        assertEquals(copiesBefore, executorCopies(tmp), "a shared bundle is never copied to an executor");
    }

    private static List<Path> executorCopies(Path tmp) throws IOException {
        try (var files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("modelbench-spark-")).sorted().toList();
        }
    }

    /** A user mistake inside a trial fails the job at once (no retries) with its one line, exit 2. */
    @Test
    void aUserMistakeInATrialIsOneLineExitTwo() throws IOException {
        Path project = work.resolve("mistake");
        Files.createDirectories(project);
        Path manifest = project.resolve("mistake.yaml");
        Files.writeString(manifest, """
                name: mistake
                dataset: {id: mnist, trainSize: 300, testSize: 100, validationSplit: 0}
                models:
                  - {id: forest, family: tribuo-random-forest, params: {trees: 2, maxDepth: 4}, trainer: {threads: 1}}
                seeds: [1, 2]
                metrics: [accuracy, robustness]
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new String[] {"--plugins-dir", project.resolve("no-plugins").toString(), "run",
                manifest.toString(), "--executor", "spark", "--project-dir", project.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(2, code, err + "\n" + out);
        List<String> lines = err.toString().strip().lines().toList();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("modelbench: error: model 'forest' (family tribuo-random-forest) seed "),
                lines.get(0));
        assertTrue(lines.get(0).contains("robustness needs a transfer attack; expected robustness.surrogate"), lines.get(0));
        assertEquals(List.of(), Bundles.trialIds(Bundles.only(project, "mistake")), "no trial finished");
    }

    /**
     * An executor opens the bundle once and checks its data against the lock: a data file whose SHA-256
     * differs from {@code lock.json}'s fails the task with one line naming the lock and the file (the
     * driver's bundle, not the executor's copy).
     */
    @Test
    void dataThatDiffersFromTheLockFailsTheTaskNamingTheFile() throws IOException {
        Path project = work.resolve("tampered");
        Path manifest = Bundles.writeManifest(project);
        StringWriter out = new StringWriter();
        int code = Cli.execute(new String[] {"--plugins-dir", project.resolve("no-plugins").toString(), "run",
                "--plan-only", manifest.toString(), "--project-dir", project.toString()}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertEquals(0, code, out.toString());
        Bundle bundle = Bundles.only(project);
        String lock = Files.readString(bundle.lock());
        String sha = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db";
        assertTrue(lock.contains(sha), "the lock records MNIST's training images");
        Files.writeString(bundle.lock(), lock.replace(sha, "0".repeat(64)));
        ShippedBundle shipped = ShippedBundle.of(bundle, org.modelbench.data.DataCache.defaultDirectory(),
                project.resolve("no-plugins"), false);
        byte[] result = new RunTrial(shipped.encode(), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .call("logreg/seed-1");
        TrialOutcome outcome = TrialOutcome.decode(result);
        assertTrue(outcome.files().isEmpty());
        assertTrue(outcome.userError() != null && outcome.userError().lines().count() == 1, outcome.userError());
        assertTrue(outcome.userError().contains(bundle.lock() + ": the data files changed since the run started ("
                + "train-images-idx3-ubyte: " + "0".repeat(64) + " vs " + sha), outcome.userError());
    }
}
