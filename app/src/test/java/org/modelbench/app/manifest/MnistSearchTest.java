package org.modelbench.app.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.CandidateMetrics;
import org.modelbench.app.run.Json;
import org.modelbench.app.run.Selection;
import org.modelbench.app.run.TrialMetrics;

/**
 * The shipped search, {@code experiments/mnist-search.yaml}, with its first seed: a random search of 20
 * MLP candidates over learning rate, width and dropout on 6,000 MNIST digits. The selected
 * configuration's validation accuracy beats the MLP's default configuration's (same seed, so the same
 * training and validation rows), and only the selected candidate has a test accuracy.
 */
class MnistSearchTest {
    static final Path MANIFEST = ShippedManifestsTest.ROOT.resolve("experiments/mnist-search.yaml");

    @TempDir
    Path project;

    @Test
    void randomSearchBeatsTheDefaultOnValidationAndOnlyTheSelectionIsTested() throws IOException {
        CliRun check = CliRun.of("run", "--check", MANIFEST.toString());
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.out().contains("OK: mlp-search: 20 candidates x 3 seed(s) + 3 selected = 63; "
                + "mlp-default: 3 seed(s) = 3 -> 66 trials on mnist"), check.out());
        assertTrue(check.out().contains("random search over [hidden choice"), check.out());
        String text = Files.readString(MANIFEST);
        assertTrue(text.contains("seeds: [1, 2, 3]"), "the shipped manifest's seeds");
        Path manifest = project.resolve("mnist-search.yaml");
        Files.writeString(manifest, text.replace("seeds: [1, 2, 3]", "seeds: [1]"));
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().contains("plan: mlp-search: 20 candidates x 1 seed(s) + 1 selected = 21; "
                + "mlp-default: 1 seed(s) = 1 -> 22 trials"), run.out());
        Path bundle;
        try (Stream<Path> s = Files.list(project.resolve("runs/mnist-search"))) {
            bundle = s.findFirst().orElseThrow();
        }
        Selection selection = Json.read(bundle.resolve("trials/mlp-search/seed-1").resolve(Selection.FILE_NAME),
                Selection.class);
        assertEquals(20, selection.candidates().size());
        double best = -1;
        for (int c = 0; c < 20; c++) {
            Path trial = bundle.resolve("trials/mlp-search/cand-" + c + "/seed-1");
            Map<String, Object> tree = Json.readTree(trial.resolve(Bundle.METRICS));
            assertFalse(tree.containsKey("accuracy") || tree.containsKey("testSamples"), "no test metric: " + tree);
            assertFalse(Files.exists(trial.resolve(Bundle.PREDICTIONS)));
            CandidateMetrics m = Json.read(trial.resolve(Bundle.METRICS), CandidateMetrics.class);
            assertEquals(5400, m.trainSamples());
            assertEquals(600, m.validationSamples());
            assertEquals(3, m.values().size(), "learning rate, width and dropout: " + m.values());
            best = Math.max(best, m.validationAccuracy());
        }
        assertEquals(best, selection.validationAccuracy());
        TrialMetrics selected = Json.read(bundle.resolve("trials/mlp-search/seed-1").resolve(Bundle.METRICS),
                TrialMetrics.class);
        TrialMetrics defaults = Json.read(bundle.resolve("trials/mlp-default/seed-1").resolve(Bundle.METRICS),
                TrialMetrics.class);
        System.out.printf("MnistSearchTest: selected candidate %d %s validation accuracy %.4f, test accuracy %.4f; "
                        + "default configuration validation accuracy %.4f, test accuracy %.4f%n", selection.candidate(),
                selection.values(), selected.validationAccuracy(), selected.accuracy(), defaults.validationAccuracy(),
                defaults.accuracy());
        assertEquals(selection.validationAccuracy(), selected.validationAccuracy(), 1e-12,
                "the retrained selection is the selected candidate again");
        assertTrue(selected.validationAccuracy() > defaults.validationAccuracy(),
                "selected " + selected.validationAccuracy() + " vs default " + defaults.validationAccuracy());
        assertEquals(2000, selected.testSamples());
        assertTrue(selected.accuracy() > 0.9, "test accuracy " + selected.accuracy());
        String report = Files.readString(bundle.resolve(Bundle.REPORT_MD));
        String table = report.substring(report.indexOf("## Hyperparameter search: mlp-search"));
        table = table.substring(0, table.indexOf("\n## ", 5));
        assertEquals(1, table.split("\\(selected\\)", -1).length - 1, table);
        assertTrue(table.contains(String.format("| seed 1 | %d |", selection.candidate())), table);
        assertTrue(table.contains(String.format("%.4f |", selected.accuracy())), "the selection's test accuracy");
        assertEquals(1, table.split("test accuracy", -1).length - 1, "test accuracy only in the selection's table");
    }
}
