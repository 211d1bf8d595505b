package org.modelbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
