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
