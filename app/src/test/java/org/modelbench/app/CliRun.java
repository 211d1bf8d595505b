package org.modelbench.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.modelbench.app.cli.Cli;

/**
 * Runs the command line in-process and captures its output, for tests.
 *
 * @param exitCode the exit code
 * @param out      standard output
 * @param err      standard error
 */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code modelbench args...} with an empty plugins folder. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--plugins-dir", Path.of("target", "no-plugins").toString()));
        all.addAll(List.of(args));
        int code = Cli.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * Runs {@code modelbench args...} (empty plugins folder) in a fresh JVM on this test's class path, with
     * {@code jvmOptions} added, e.g. {@code -Dmodelbench.engine.blas=java} to pin the engine's SGEMM kernel (a
     * JVM chooses it once).
     */
    public static CliRun inFreshJvm(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.modelbench.app.Main", "--plugins-dir",
                Path.of("target", "no-plugins").toString()));
        cmd.addAll(List.of(args));
        try {
            Path err = java.nio.file.Files.createTempFile("cli-run", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                int code = p.waitFor();
                return new CliRun(code, out, java.nio.file.Files.readString(err));
            } finally {
                java.nio.file.Files.deleteIfExists(err);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A small manifest over an MNIST subset with the two test families, two seeds. */
    public static String tinyManifest(String name) {
        return """
                name: %s
                description: Two test families on an MNIST subset.
                dataset:
                  id: mnist
                  trainSize: 1200
                  testSize: 400
                  validationSplit: 0.1
                  preprocessing:
                    rescale: 255
                models:
                  - id: softmax
                    family: test-softmax
                    params:
                      epochs: 3
                      batchSize: 32
                      learningRate: 0.1
                    trainer:
                      threads: 1
                  - id: softmax-std
                    family: test-softmax
                    params: {epochs: 2, learningRate: 0.05}
                    preprocessing: {rescale: 255, standardize: true}
                  - id: centroid
                    family: test-centroid
                seeds: [1, 2]
                outputs:
                  directory: runs
                """.formatted(name);
    }
}
