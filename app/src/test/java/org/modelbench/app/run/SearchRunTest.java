package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.app.CliRun;
import org.modelbench.data.DataCache;
import org.modelbench.data.IdxWriter;
import org.modelbench.data.MnistProvider;
import org.modelbench.testkit.OptionalMaterial;

/**
 * A grid search through the CLI: the plan (candidates per seed, then the selecting trial), candidates
 * that see no test rows, the selection by validation accuracy, the report's search tables, resume and
 * reproduce; and a test set with shuffled labels that leaves every candidate and the selection unchanged.
 */
class SearchRunTest {
    static final String MANIFEST = """
            name: grid
            dataset:
              files:
                trainImages: data/train-images
                trainLabels: data/train-labels
                testImages: data/test-images
                testLabels: data/test-labels
              validationSplit: 0.2
              preprocessing:
                rescale: 255
            models:
              - id: softmax
                family: test-softmax
                search: {strategy: grid}
                params:
                  epochs: {grid: [1, 3]}
                  learningRate: {grid: [0.001, 0.05, 0.5]}
                  batchSize: 32
                trainer: {threads: 1}
              - id: centroid
                family: test-centroid
            seeds: [1, 2]
            """;

    @TempDir
    Path project;

    @Test
    void gridSearchPlansSelectsReportsResumesAndReproduces() throws Exception {
        var splits = new MnistProvider().load(DataCache.defaultDirectory(), s -> { });
        Path manifest = write(project.resolve("a"), splits.train().slice(0, 1000), splits.test().slice(0, 300));
        CliRun check = CliRun.of("run", manifest.toString(), "--check");
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.out().contains("softmax: 6 candidates x 2 seed(s) + 2 selected = 14; centroid: 2 seed(s) = 2"
                + " -> 16 trials"), check.out());

        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.resolve("a").toString());
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().contains("plan: softmax: 6 candidates"), run.out());
        Path bundle = bundle(project.resolve("a"));
        TrialPlan plan = Json.read(bundle.resolve(TrialPlan.FILE_NAME), TrialPlan.class);
        assertEquals(16, plan.trials().size());
        assertEquals("softmax/cand-0/seed-1", plan.trials().get(0).id());
        TrialPlan.PlannedTrial selecting = plan.trials().get(6);
        assertEquals("softmax/seed-1", selecting.id());
        assertEquals(List.of("softmax/cand-0/seed-1", "softmax/cand-1/seed-1", "softmax/cand-2/seed-1",
                "softmax/cand-3/seed-1", "softmax/cand-4/seed-1", "softmax/cand-5/seed-1"), selecting.after());
        assertNull(selecting.params());
        assertEquals(0.5, ((Number) plan.trials().get(2).params().get("learningRate")).doubleValue(), 1e-12);
        assertEquals(3, ((Number) plan.trials().get(5).params().get("epochs")).intValue());

        for (long seed : new long[] {1, 2}) {
            List<CandidateMetrics> candidates = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                Path trial = bundle.resolve("trials/softmax/cand-" + c + "/seed-" + seed);
                assertFalse(Files.exists(trial.resolve(Bundle.PREDICTIONS)), "a candidate predicts no test rows");
                assertFalse(Files.exists(trial.resolve(Bundle.MODEL)), "a candidate keeps no model");
                CandidateMetrics m = Json.read(trial.resolve(Bundle.METRICS), CandidateMetrics.class);
                assertEquals(800, m.trainSamples());
                assertEquals(200, m.validationSamples());
                candidates.add(m);
            }
            // the spread is real: a tiny step for one epoch is far worse than a good one
            double worst = candidates.stream().mapToDouble(CandidateMetrics::validationAccuracy).min().orElseThrow();
            double best = candidates.stream().mapToDouble(CandidateMetrics::validationAccuracy).max().orElseThrow();
            assertTrue(best > 0.8 && best - worst > 0.05, "validation accuracies " + candidates);
            Path selected = bundle.resolve("trials/softmax/seed-" + seed);
            Selection selection = Json.read(selected.resolve(Selection.FILE_NAME), Selection.class);
            int expected = 0;
            for (int c = 1; c < 6; c++) {
                if (candidates.get(c).validationAccuracy() > candidates.get(expected).validationAccuracy()) {
                    expected = c;
                }
            }
            assertEquals(expected, selection.candidate());
            assertEquals(candidates.get(expected).values(), selection.values());
            TrialMetrics metrics = Json.read(selected.resolve(Bundle.METRICS), TrialMetrics.class);
            assertEquals(expected, metrics.selectedCandidate());
            assertEquals(300, metrics.testSamples());
            assertEquals(candidates.get(expected).validationAccuracy(), metrics.validationAccuracy(), 1e-12,
                    "the retrained selection is the candidate's model again");
            Object learningRate = Json.readTree(selected.resolve(Bundle.PROVENANCE)).get("config") instanceof
                    java.util.Map<?, ?> config ? config.get("learningRate") : null;
            assertEquals(((Number) selection.values().get("learningRate")).doubleValue(),
                    ((Number) learningRate).doubleValue(), 1e-12, "the selected config is what was retrained");
        }
        Map<String, Object> summary = Json.readTree(bundle.resolve("report.json"));
        Map<?, ?> softmax = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) summary.get("datasets")).get(0))
                .get("models")).get(0);
        List<?> searched = (List<?>) softmax.get("search");
        assertEquals(2, searched.size());
        for (Object s : searched) {
            Map<?, ?> seedResult = (Map<?, ?>) s;
            long seed = ((Number) seedResult.get("seed")).longValue();
            Selection selection = Json.read(bundle.resolve("trials/softmax/seed-" + seed).resolve(Selection.FILE_NAME),
                    Selection.class);
            assertEquals(selection.candidate(), ((Number) seedResult.get("selectedCandidate")).intValue());
            assertEquals(6, ((List<?>) seedResult.get("candidates")).size());
            assertEquals(Json.read(bundle.resolve("trials/softmax/seed-" + seed).resolve(Bundle.METRICS),
                    TrialMetrics.class).accuracy(), ((Number) seedResult.get("testAccuracy")).doubleValue(), 1e-12);
        }
        Map<?, ?> centroid = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) summary.get("datasets")).get(0))
                .get("models")).get(1);
        assertFalse(centroid.containsKey("search"), "no search, no key");
        String html = Files.readString(bundle.resolve(Bundle.REPORT_HTML));
        assertTrue(html.contains("<table id=\"search-softmax\">"), "candidate table");
        assertTrue(html.contains("<table id=\"selected-softmax\">"), "selection table");
        assertEquals(2, html.split("\\(selected\\)</b>", -1).length - 1, "one selected candidate per seed");
        Process browser = new ProcessBuilder("bash", Path.of("..", "scripts", "check-report-html.sh").toAbsolutePath()
                .normalize().toString(), bundle.toString()).redirectErrorStream(true).start();
        String rendered = new String(browser.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int code = browser.waitFor();
        OptionalMaterial.require(code != 77, "chromium not installed (" + rendered.strip() + ")");
        assertEquals(0, code, rendered);
        assertTrue(rendered.contains("search tables with 2 selected candidate(s)"), rendered);

        // resume after losing a candidate and a selecting trial: only those two rerun, with the same results
        Path lost = bundle.resolve("trials/softmax/cand-4/seed-2");
        String before = Files.readString(lost.resolve(Bundle.METRICS));
        String selectionBefore = Files.readString(bundle.resolve("trials/softmax/seed-2").resolve(Selection.FILE_NAME));
        Bundle.deleteTree(lost);
        Bundle.deleteTree(bundle.resolve("trials/softmax/seed-2"));
        CliRun resumed = CliRun.of("run", "--resume", bundle.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(14, resumed.out().split("already finished, kept", -1).length - 1, resumed.out());
        assertEquals(List.of(), Differences.ofResults(Json.MAPPER.readValue(before, Object.class),
                Json.readTree(lost.resolve(Bundle.METRICS)), Set.of("files")));
        assertEquals(selectionBefore, Files.readString(bundle.resolve("trials/softmax/seed-2")
                .resolve(Selection.FILE_NAME)));

        CliRun reproduce = CliRun.of("reproduce", bundle.toString());
        assertEquals(0, reproduce.exitCode(), reproduce.out() + reproduce.err());
        assertTrue(reproduce.out().contains("IDENTICAL"), reproduce.out());
    }

    @Test
    void selectionNeverReadsTestRows() throws IOException {
        var splits = new MnistProvider().load(DataCache.defaultDirectory(), s -> { });
        Dataset train = splits.train().slice(0, 1000);
        Dataset test = splits.test().slice(0, 300);
        int[] shuffled = test.labels().clone();
        Random random = new Random(7);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        Dataset scrambled = new Dataset(test.name(), test.features(), shuffled, test.classNames(), test.metadata());
        Path a = write(project.resolve("true"), train, test);
        Path b = write(project.resolve("shuffled"), train, scrambled);
        for (Path manifest : List.of(a, b)) {
            CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", manifest.getParent().toString());
            assertEquals(0, run.exitCode(), run.err() + run.out());
        }
        Path x = bundle(project.resolve("true"));
        Path y = bundle(project.resolve("shuffled"));
        for (long seed : new long[] {1, 2}) {
            for (int c = 0; c < 6; c++) {
                String trial = "trials/softmax/cand-" + c + "/seed-" + seed + "/" + Bundle.METRICS;
                assertEquals(List.of(), Differences.ofResults(Json.readTree(x.resolve(trial)),
                        Json.readTree(y.resolve(trial)), Set.of("files")), trial);
            }
            String selection = "trials/softmax/seed-" + seed + "/" + Selection.FILE_NAME;
            assertEquals(Files.readString(x.resolve(selection)), Files.readString(y.resolve(selection)));
            TrialMetrics honest = Json.read(x.resolve("trials/softmax/seed-" + seed + "/" + Bundle.METRICS),
                    TrialMetrics.class);
            TrialMetrics fooled = Json.read(y.resolve("trials/softmax/seed-" + seed + "/" + Bundle.METRICS),
                    TrialMetrics.class);
            assertTrue(honest.accuracy() > 0.75 && fooled.accuracy() < 0.3,
                    "the test labels did differ: " + honest.accuracy() + " vs " + fooled.accuracy());
            assertNotEquals(honest.accuracy(), fooled.accuracy());
        }
    }

    @Test
    void withFoldsCandidatesSelectOnAnInnerSplitOfTheFoldsTrainingRows() throws IOException {
        var splits = new MnistProvider().load(DataCache.defaultDirectory(), s -> { });
        Path manifest = write(project.resolve("cv"), splits.train().slice(0, 500), splits.test().slice(0, 100));
        Files.writeString(manifest, MANIFEST.replace("  validationSplit: 0.2\n", "  validationSplit: 0.2\n  folds: 3\n")
                .replace("seeds: [1, 2]", "seeds: [4]").replace("epochs: {grid: [1, 3]}", "epochs: 2"));
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.resolve("cv").toString());
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().contains("plan: softmax: 3 candidates x 1 seed(s) x 3 folds + 3 selected = 12; "
                + "centroid: 1 seed(s) x 3 folds = 3 -> 15 trials"), run.out());
        Path bundle = bundle(project.resolve("cv"));
        for (int fold = 0; fold < 3; fold++) {
            TrialMetrics tested = Json.read(bundle.resolve("trials/softmax/seed-4/fold-" + fold + "/" + Bundle.METRICS),
                    TrialMetrics.class);
            assertEquals(600, tested.trainSamples() + tested.validationSamples() + tested.testSamples());
            for (int c = 0; c < 3; c++) {
                CandidateMetrics m = Json.read(bundle.resolve("trials/softmax/cand-" + c + "/seed-4/fold-" + fold + "/"
                        + Bundle.METRICS), CandidateMetrics.class);
                assertEquals(fold, m.fold());
                assertEquals(tested.trainSamples(), m.trainSamples(), "the fold's training rows less the inner split");
                assertEquals(tested.validationSamples(), m.validationSamples());
                assertEquals(Math.round((600 - tested.testSamples()) * 0.2), m.validationSamples());
            }
            assertTrue(Files.isRegularFile(bundle.resolve("trials/softmax/seed-4/fold-" + fold + "/"
                    + Selection.FILE_NAME)));
        }
    }

    private static Path write(Path dir, Dataset train, Dataset test) throws IOException {
        Path data = dir.resolve("data");
        idx(data, "train", train);
        idx(data, "test", test);
        Path manifest = dir.resolve("grid.yaml");
        Files.writeString(manifest, MANIFEST);
        return manifest;
    }

    private static void idx(Path dir, String split, Dataset d) throws IOException {
        Files.createDirectories(dir);
        float[] x = d.features().data();
        byte[] pixels = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            pixels[i] = (byte) Math.round(x[i]);
        }
        byte[] labels = new byte[d.size()];
        for (int i = 0; i < d.size(); i++) {
            labels[i] = (byte) d.labels()[i];
        }
        IdxWriter.write(dir.resolve(split + "-images"), new int[] {d.size(), 28, 28}, pixels);
        IdxWriter.write(dir.resolve(split + "-labels"), new int[] {d.size()}, labels);
    }

    private static Path bundle(Path project) throws IOException {
        try (Stream<Path> s = Files.list(project.resolve("runs/grid"))) {
            return s.findFirst().orElseThrow();
        }
    }
}
