package org.modelbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.cli.Cli;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.Differences;
import org.modelbench.app.run.Json;

/**
 * A search inside a suite (iris and wine, 3 folds, a grid of two learning rates) on Spark
 * {@code local[2]} gives the bundle of the local executor with {@code --jobs 1}: every candidate's
 * validation metrics, every selection, every selected trial's metrics, predictions and model files.
 */
class SearchSuiteOnSparkTest {
    @TempDir
    Path work;

    private Path run(String name, String... executor) throws IOException {
        Path project = Files.createDirectories(work.resolve(name));
        Path manifest = project.resolve("suite-search.yaml");
        try (InputStream in = SearchSuiteOnSparkTest.class.getResourceAsStream("/suite-search.yaml")) {
            Files.write(manifest, in.readAllBytes());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("--plugins-dir", project.resolve("no-plugins").toString(),
                "run", manifest.toString(), "--project-dir", project.toString()));
        args.addAll(List.of(executor));
        int code = Cli.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err + "\n" + out);
        return Bundles.only(project, "suite-search").root();
    }

    private static List<Path> resultFiles(Path bundle) throws IOException {
        try (Stream<Path> walk = Files.walk(bundle.resolve("trials"))) {
            return walk.filter(Files::isRegularFile).map(bundle::relativize)
                    // the curve's seconds per epoch and the provenance's clock times are timings
                    .filter(p -> !Set.of(Bundle.CURVE, "provenance.json").contains(p.getFileName().toString()))
                    .sorted().toList();
        }
    }

    @Test
    void aSearchInASuiteGivesTheSameBundleOnSparkAsLocally() throws IOException {
        Path local = run("local", "--jobs", "1");
        Path spark = run("spark", "--executor", "spark");
        List<Path> files = resultFiles(local);
        assertEquals(files, resultFiles(spark));
        long candidates = files.stream().filter(p -> p.toString().contains("/cand-")
                && p.getFileName().toString().equals(Bundle.METRICS)).count();
        assertEquals(12, candidates, "2 candidates x 3 folds x 1 seed x 2 datasets");
        assertTrue(files.stream().anyMatch(p -> p.toString().equals("trials/wine/logreg/seed-1/fold-2/selection.json")),
                files.toString());
        for (Path file : files) {
            if (file.toString().endsWith(".json")) {
                Object a = Json.MAPPER.readValue(Files.readString(local.resolve(file)), Object.class);
                Object b = Json.MAPPER.readValue(Files.readString(spark.resolve(file)), Object.class);
                assertEquals(List.of(), Differences.ofResults(a, b, Set.of("files")), file.toString());
            } else {
                assertEquals(-1L, Files.mismatch(local.resolve(file), spark.resolve(file)), file.toString());
            }
        }
    }
}
