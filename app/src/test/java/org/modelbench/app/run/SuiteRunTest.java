package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;
import org.modelbench.testkit.OptionalMaterial;

/**
 * A suite ({@code datasets:}) end to end on two real tables, iris and wine: three models x one seed x
 * three folds on each, the report's per-dataset sections, the rank table, the Friedman test and the
 * critical-difference diagram (in a real browser), and the suite's trial folders resuming, running
 * one by one and reproducing.
 */
class SuiteRunTest {
    static final String SUITE = """
            name: two-tables
            datasets:
              - id: iris
                folds: 3
                preprocessing: {standardize: true}
              - label: wine-table
                id: wine
                folds: 3
                preprocessing: {standardize: true}
            models:
              - id: logreg
                family: logreg
                params: {epochs: 30, batchSize: 16, optimizer: {type: adam, learningRate: 0.05}}
              - id: mlp
                family: mlp
                params: {hidden: [16], epochs: 30, batchSize: 16, optimizer: {type: adam, learningRate: 0.01}}
              - id: centroid
                family: test-centroid
            seeds: [1]
            metrics: [accuracy, macroF1]
            """;

    @TempDir
    static Path project;

    static Path manifest;
    static Path bundle;
    static CliRun run;

    @BeforeAll
    static void runTheSuite() throws IOException {
        manifest = project.resolve("suite.yaml");
        Files.writeString(manifest, SUITE);
        run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err() + run.out());
        try (Stream<Path> s = Files.list(project.resolve("runs/two-tables"))) {
            bundle = s.findFirst().orElseThrow();
        }
    }

    @Test
    void everyTrialHasItsDatasetPrefixAndTheLockEveryDataset() {
        TrialPlan plan = Json.read(bundle.resolve(Bundle.PLAN), TrialPlan.class);
        assertEquals(18, plan.trials().size());
        assertEquals("iris/logreg/seed-1/fold-0", plan.trials().get(0).id());
        assertEquals("wine-table/centroid/seed-1/fold-2", plan.trials().get(17).id());
        for (TrialPlan.PlannedTrial t : plan.trials()) {
            assertTrue(Files.isRegularFile(bundle.resolve("trials").resolve(t.id()).resolve(Bundle.METRICS)), t.id());
        }
        Lock lock = Lock.read(bundle.resolve(Bundle.LOCK));
        assertEquals(List.of("iris", "wine-table"), lock.datasets().stream().map(Lock.Data::name).toList());
        assertEquals(150, lock.datasets().get(0).poolRows());
        assertEquals(178, lock.datasets().get(1).poolRows());
        for (Lock.Data d : lock.datasets()) {
            assertFalse(d.sha256().isEmpty(), d.name());
            d.sha256().values().forEach(sha -> assertTrue(sha.matches("[0-9a-f]{64}"), sha));
        }
        assertTrue(run.out().contains("[1/18] iris logreg seed 1 fold 0"), run.out());
        TrialMetrics wine = Json.read(bundle.resolve("trials/wine-table/logreg/seed-1/fold-0/metrics.json"),
                TrialMetrics.class);
        assertTrue(wine.accuracy() > 0.85, "logreg on a third of wine: " + wine.accuracy());
        assertEquals(178, wine.trainSamples() + wine.testSamples());
    }

    @Test
    void theReportHasPerDatasetTablesTheRanksTheFriedmanTestAndTheDiagram() throws IOException {
        String md = Files.readString(bundle.resolve(Bundle.REPORT_MD));
        assertTrue(md.contains("## Across datasets") && md.contains("## Dataset iris")
                && md.contains("## Dataset wine-table") && md.contains("### Comparison (iris)")
                && md.contains("### Comparison (wine-table)") && md.contains("### Paired significance tests (iris)"), md);
        assertTrue(md.contains("Friedman test over 2 datasets and 3 models: chi-square = "), md);
        assertTrue(md.contains("![Critical-difference diagram (Nemenyi, alpha = 0.05)](plots/critical-difference.png)"),
                md);
        assertTrue(Files.isRegularFile(bundle.resolve("plots/critical-difference.png")));
        assertTrue(Files.isRegularFile(bundle.resolve("plots/wine-table-accuracy.png")));
        String html = Files.readString(bundle.resolve(Bundle.REPORT_HTML));
        for (String id : List.of("ranks", "friedman", "comparison-iris", "comparison-wine-table", "trials-iris")) {
            assertTrue(html.contains("<table id=\"" + id + "\">"), id);
        }

        // report.json: the ranks follow the mean accuracies, and the Friedman statistic follows the ranks
        JsonNode across = Json.MAPPER.readTree(bundle.resolve("report.json").toFile()).get("acrossDatasets");
        assertEquals(List.of("logreg", "mlp", "centroid"), strings(across.get("models")));
        JsonNode ranking = across.get("ranking");
        double[] average = new double[3];
        for (int d = 0; d < 2; d++) {
            double[] acc = new double[3];
            for (int m = 0; m < 3; m++) {
                acc[m] = across.get("meanAccuracy").get(d).get(m).asDouble();
            }
            for (int m = 0; m < 3; m++) {
                double better = 0;
                double tied = 0;
                for (int o = 0; o < 3; o++) {
                    better += acc[o] > acc[m] ? 1 : 0;
                    tied += o != m && acc[o] == acc[m] ? 1 : 0;
                }
                double expected = 1 + better + tied / 2;
                assertEquals(expected, ranking.get("ranks").get(d).get(m).asDouble(), 1e-12);
                average[m] += expected / 2;
            }
        }
        double chi = 12.0 * 2 / (3 * 4) * (average[0] * average[0] + average[1] * average[1]
                + average[2] * average[2] - 3 * 16 / 4.0);
        assertEquals(chi, ranking.get("friedman").get("chiSquare").asDouble(), 1e-9);
        assertEquals(2.343 * Math.sqrt(3 * 4 / 12.0), ranking.get("nemenyi").get("criticalDifference").asDouble(),
                1e-9);
        System.out.println("suite of iris and wine-table: average ranks " + java.util.Arrays.toString(average)
                + ", Friedman chi-square " + chi);
    }

    @Test
    void theSuiteReportRendersInHeadlessChromium() throws Exception {
        Path script = Path.of("..", "scripts", "check-report-html.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", script.toString(), bundle.toString(), project.resolve("shot.png")
                .toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int code = p.waitFor();
        OptionalMaterial.require(code != 77, "chromium not installed (" + output.strip() + ")");
        assertEquals(0, code, output);
        assertTrue(output.contains("(suite: 2 per-dataset comparison tables, the rank table, the Friedman table and "
                + "the critical-difference diagram)"), output);
    }

    @Test
    void aSuiteResumesRunsTrialsOneByOneAndReproduces() throws IOException {
        Path copy = project.resolve("resumed");
        EndToEndTest.copyTree(bundle, copy);
        Path trial = copy.resolve("trials/wine-table/mlp/seed-1/fold-2");
        String before = Files.readString(trial.resolve(Bundle.METRICS));
        Bundle.deleteTree(trial);
        Bundle.deleteTree(copy.resolve("trials/iris/centroid"));
        Files.delete(copy.resolve(Bundle.REPORT_MD));
        CliRun resumed = CliRun.of("run", "--resume", copy.toString());
        assertEquals(0, resumed.exitCode(), resumed.err() + resumed.out());
        assertTrue(resumed.out().contains("[1/18] iris logreg seed 1 fold 0: already finished, kept"), resumed.out());
        assertTrue(resumed.out().contains("[18/18] wine-table centroid seed 1 fold 2: already finished, kept"),
                resumed.out());
        assertEquals(accuracyAndChecksum(before), accuracyAndChecksum(Files.readString(trial.resolve(Bundle.METRICS))));
        assertTrue(Files.isRegularFile(copy.resolve(Bundle.REPORT_MD)));

        // one trial at a time, as a cluster task runs it: a planned bundle, one trial of the second dataset
        CliRun planned = CliRun.of("run", manifest.toString(), "--plan-only", "--project-dir",
                project.resolve("planned").toString());
        assertEquals(0, planned.exitCode(), planned.err());
        Path plannedBundle = Path.of(planned.out().strip());
        CliRun one = CliRun.of("trial", plannedBundle.toString(), "--id", "wine-table/mlp/seed-1/fold-2");
        assertEquals(0, one.exitCode(), one.err() + one.out());
        assertEquals(accuracyAndChecksum(before), accuracyAndChecksum(Files.readString(
                plannedBundle.resolve("trials/wine-table/mlp/seed-1/fold-2").resolve(Bundle.METRICS))));
        CliRun unfinished = CliRun.of("report", plannedBundle.toString());
        assertEquals(2, unfinished.exitCode(), unfinished.err());

        CliRun reproduce = CliRun.of("reproduce", copy.toString());
        assertEquals(0, reproduce.exitCode(), reproduce.err() + reproduce.out());
        assertTrue(reproduce.out().contains("verdict: IDENTICAL: 18 trials"), reproduce.out());
    }

    @Test
    void checkPrintsEachDatasetsTrials() {
        CliRun check = CliRun.of("run", "--check", manifest.toString());
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.out().contains("OK: 3 model(s) x 1 seed(s) on 2 datasets = 18 trials"), check.out());
        assertTrue(check.out().contains("  iris: 3 model(s) x 1 seed(s) x 3 folds = 9 trials")
                && check.out().contains("  wine-table: 3 model(s) x 1 seed(s) x 3 folds = 9 trials"), check.out());
    }

    /** A suite of one dataset runs, and its report says why it has no Friedman test and no diagram. */
    @Test
    void withOneDatasetTheReportSaysWhyTheTestsAreOmitted() throws IOException {
        Path b = runIn("one", """
                name: one-table
                datasets: [{id: iris, folds: 2}]
                models: [{id: centroid, family: test-centroid}, {id: softmax, family: test-softmax, params: {epochs: 2}}]
                seeds: [1]
                """);
        assertTrue(Files.isRegularFile(b.resolve("trials/iris/softmax/seed-1/fold-1/metrics.json")));
        String md = Files.readString(b.resolve(Bundle.REPORT_MD));
        assertTrue(md.contains("Friedman test and critical-difference diagram omitted: a ranking needs at least 2 "
                + "datasets, the suite has 1."), md);
        assertFalse(Files.exists(b.resolve("plots/critical-difference.png")));
        JsonNode across = Json.MAPPER.readTree(b.resolve("report.json").toFile()).get("acrossDatasets");
        assertEquals("a ranking needs at least 2 datasets, the suite has 1", across.get("omitted").asText());
        assertTrue(across.get("ranking").isNull());
    }

    /** A search inside a suite: each dataset's candidates and selection under its prefix, reported per dataset. */
    @Test
    void aSearchRunsPerDatasetOfASuiteAndReproduces() throws IOException {
        Path b = runIn("searched", """
                name: suite-search
                datasets:
                  - {id: iris, validationSplit: 0.2, preprocessing: {standardize: true}}
                  - {id: wine, validationSplit: 0.2, preprocessing: {standardize: true}}
                models:
                  - id: logreg
                    family: logreg
                    params: {epochs: 20, batchSize: 16, optimizer: {type: adam, learningRate: {grid: [0.001, 0.05]}}}
                    search: {strategy: grid}
                  - {id: centroid, family: test-centroid}
                seeds: [1]
                """);
        for (String table : List.of("iris", "wine")) {
            for (String trial : List.of("logreg/cand-0/seed-1", "logreg/cand-1/seed-1", "logreg/seed-1",
                    "centroid/seed-1")) {
                assertTrue(Files.isRegularFile(b.resolve("trials").resolve(table).resolve(trial)
                        .resolve(Bundle.METRICS)), table + "/" + trial);
            }
            assertTrue(Files.isRegularFile(b.resolve("trials/" + table + "/logreg/seed-1").resolve(Selection.FILE_NAME)));
        }
        String md = Files.readString(b.resolve(Bundle.REPORT_MD));
        assertTrue(md.contains("### Hyperparameter search: logreg (iris)")
                && md.contains("### Hyperparameter search: logreg (wine)"), md);
        CliRun reproduce = CliRun.of("reproduce", b.toString());
        assertEquals(0, reproduce.exitCode(), reproduce.err() + reproduce.out());
        assertTrue(reproduce.out().contains("verdict: IDENTICAL: 4 trials"), reproduce.out());
    }

    /** Runs manifest {@code yaml} in a fresh project folder {@code name}; returns its bundle. */
    private static Path runIn(String name, String yaml) throws IOException {
        Path dir = Files.createDirectories(project.resolve(name));
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        CliRun r = CliRun.of("run", file.toString(), "--project-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            try (Stream<Path> bundles = Files.list(s.findFirst().orElseThrow())) {
                return bundles.findFirst().orElseThrow();
            }
        }
    }

    private static String accuracyAndChecksum(String metricsJson) {
        return metricsJson.lines().filter(l -> l.contains("\"accuracy\"") || l.contains("\"modelSha256\""))
                .reduce("", String::concat);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
