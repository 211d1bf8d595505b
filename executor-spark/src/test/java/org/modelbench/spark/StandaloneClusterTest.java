package org.modelbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.cli.Cli;
import org.modelbench.app.executor.SparkSettings;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.LocalExecutor;
import org.modelbench.app.run.Progress;
import org.modelbench.app.run.Reproduction;
import org.modelbench.data.DataCache;

/**
 * The loopback standalone cluster (a master and two one-core workers from {@code scripts/spark-standalone.sh}):
 * the same bundle as the local executor, {@code reproduce} of it on this machine is IDENTICAL, and an
 * executor killed mid-trial (then the driver too) followed by {@code run --resume} ends with the same bundle.
 */
class StandaloneClusterTest {
    private static final String EXTRA_CLASS_PATH = "spark.executor.extraClassPath";
    @TempDir
    static Path work;
    static Bundles.Run reference;
    static LoopbackCluster cluster;

    @BeforeAll
    static void referenceRunAndCluster() throws Exception {
        reference = Bundles.run(work.resolve("local"), Bundles.localJobs(2));
        cluster = LoopbackCluster.start(work.resolve("cluster"));
        System.setProperty(EXTRA_CLASS_PATH, System.getProperty("java.class.path"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        System.clearProperty(EXTRA_CLASS_PATH);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theClusterGivesTheSameBundleAndItReproducesLocally() throws IOException {
        StringWriter out = new StringWriter();
        Bundle bundle = Bundles.run(work.resolve("standalone"),
                Bundles.spark(new SparkSettings(cluster.url(), false), new PrintWriter(out, true))).bundle();
        Bundles.assertSameResults(reference.bundle(), bundle);
        String log = out.toString();
        assertTrue(log.contains("started on executor 0 (127.0.0.1)") && log.contains("started on executor 1 (127.0.0.1)"),
                "both workers' executors ran trials: " + log);

        PluginRegistry registry = Bundles.registry();
        ExperimentRunner local = new ExperimentRunner(registry, DataCache.defaultDirectory(),
                new Progress(new PrintWriter(new StringWriter(), true), false), null, new LocalExecutor(2));
        Reproduction reproduction = Reproduction.of(bundle, registry, local, work.resolve("reproduce"));
        assertTrue(reproduction.identical(), reproduction.results().toString());
        assertEquals(8, reproduction.trials());
    }

    @Test
    void killingAnExecutorMidTrialThenTheDriverThenResumingGivesTheSameBundle() throws Exception {
        Path project = work.resolve("killed");
        Path manifest = Bundles.writeManifest(project);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptions().split(" ")));
        command.addAll(List.of("-D" + EXTRA_CLASS_PATH + "=" + System.getProperty("java.class.path"),
                "-cp", System.getProperty("java.class.path"), "org.modelbench.app.Main",
                "--plugins-dir", project.resolve("no-plugins").toString(), "run", manifest.toString(),
                "--executor", "spark", "--spark-master", cluster.url(), "--project-dir", project.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process driver = builder.start();
        driver.getOutputStream().close();
        StringBuilder log = new StringBuilder();
        Pattern cnnStarted = Pattern.compile("\\] cnn seed 1: started on executor (\\d+) ");
        boolean executorKilled = false;
        boolean retried = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(driver.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                log.append(line).append('\n');
                Matcher m = cnnStarted.matcher(line);
                if (!executorKilled && m.find()) {
                    Thread.sleep(2000); // the CNN trial trains for several seconds: this is mid-trial
                    ProcessHandle executor = cluster.executor(m.group(1)).orElseThrow(() ->
                            new AssertionError("no JVM of executor " + m.group(1) + " of the cluster"));
                    executor.destroyForcibly();
                    assertTrue(executor.onExit().get(30, TimeUnit.SECONDS) != null);
                    executorKilled = true;
                } else if (executorKilled && line.contains("cnn seed 1: started on executor") && line.contains("attempt 2")) {
                    retried = true; // Spark retries the lost task; now stop the driver as well, mid-run
                    driver.destroyForcibly();
                    break;
                }
            }
        } finally {
            driver.destroyForcibly();
            assertTrue(driver.waitFor(60, TimeUnit.SECONDS));
        }
        assertTrue(executorKilled && retried, "the executor kill and Spark's retry must show in the log:\n" + log);
        Bundle bundle = Bundles.only(project);
        int finished = Bundles.trialIds(bundle).size();
        assertTrue(finished < 8, "the driver was killed with trials left: " + finished + " finished\n" + log);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new String[] {"--plugins-dir", project.resolve("no-plugins").toString(), "run",
                "--resume", bundle.root().toString(), "--executor", "spark", "--spark-master", cluster.url()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err + "\n" + out);
        assertTrue(out.toString().contains("spark: " + (8 - finished) + " trial(s) on " + cluster.url()), out.toString());
        Bundles.assertSameResults(reference.bundle(), bundle);
        assertTrue(Files.isRegularFile(bundle.root().resolve(Bundle.REPORT_HTML)));
    }
}
