package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;
import org.modelbench.testkit.OptionalMaterial;

/** A manifest run end to end through the CLI: bundle, report, reproduce, predict. */
class EndToEndTest {
    @TempDir
    static Path project;
    static Path bundle;
    static CliRun run;

    @BeforeAll
    static void runOnce() throws IOException {
        Path manifest = project.resolve("tiny.yaml");
        Files.writeString(manifest, CliRun.tinyManifest("tiny"));
        run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err() + run.out());
        try (Stream<Path> s = Files.list(project.resolve("runs/tiny"))) {
            bundle = s.findFirst().orElseThrow();
        }
    }

    @Test
    void bundleHoldsEveryFile() throws IOException {
        for (String f : List.of("manifest.yaml", "resolved.json", "lock.json", "report.md", "report.html",
                "plots/accuracy.png", "plots/learning-curves-loss.png", "plots/learning-curves-validation.png",
                "plots/confusion-softmax.png")) {
            assertTrue(Files.isRegularFile(bundle.resolve(f)), f);
        }
        assertEquals(CliRun.tinyManifest("tiny"), Files.readString(bundle.resolve("manifest.yaml")));
        for (String model : List.of("softmax", "softmax-std", "centroid")) {
            for (int seed : new int[] {1, 2}) {
                Path trial = bundle.resolve("trials/" + model + "/seed-" + seed);
                for (String f : List.of("metrics.json", "curve.json", "predictions.json", "preprocessing.json", "provenance.json",
                        "model/modelbench-model.properties")) {
                    assertTrue(Files.isRegularFile(trial.resolve(f)), trial + "/" + f);
                }
                TrialMetrics m = Json.read(trial.resolve("metrics.json"), TrialMetrics.class);
                assertEquals(400, m.testSamples());
                assertEquals(1080, m.trainSamples());
                assertEquals(120, m.validationSamples());
                assertEquals(DirectoryHash.sha256(trial.resolve("model")), m.modelSha256());
                long total = 0;
                for (long[] row : m.confusion()) {
                    for (long v : row) {
                        total += v;
                    }
                }
                assertEquals(400, total);
                assertTrue(m.accuracy() > 0.6 && m.accuracy() < 1.0, model + " accuracy " + m.accuracy());
            }
        }
        TrialMetrics s1 = Json.read(bundle.resolve("trials/softmax/seed-1/metrics.json"), TrialMetrics.class);
        TrialMetrics s2 = Json.read(bundle.resolve("trials/softmax/seed-2/metrics.json"), TrialMetrics.class);
        assertNotEquals(s1.modelSha256(), s2.modelSha256(), "seeds must matter");
        assertEquals(7850, s1.parameterCount());
        assertEquals(3, s1.epochsRun());
        assertEquals(3, Json.read(bundle.resolve("trials/softmax/seed-1/curve.json"), CurvePoint[].class).length);
    }

    @Test
    void resolvedAndLockRecordDefaultsAndProvenance() {
        Map<String, Object> resolved = Json.readTree(bundle.resolve("resolved.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> experiment = (Map<String, Object>) resolved.get("experiment");
        @SuppressWarnings("unchecked")
        Map<String, Object> centroid = (Map<String, Object>) ((List<?>) experiment.get("models")).get(2);
        assertEquals(Map.of("temperature", 10.0), centroid.get("params"));
        Map<String, Object> lock = Json.readTree(bundle.resolve("lock.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) lock.get("data");
        assertEquals("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                ((Map<?, ?>) data.get("sha256")).get("train-images-idx3-ubyte"));
        for (String key : List.of("modules", "jvm", "os", "cpu", "host", "threads")) {
            assertTrue(lock.containsKey(key), key);
        }
    }

    @Test
    void reportHasComparisonTableTestsAndEmbeddedPlots() throws IOException {
        String md = Files.readString(bundle.resolve("report.md"));
        assertTrue(md.contains("| softmax | test-softmax | 2 |"), md);
        assertTrue(md.contains("corrected resampled t-test p"), md);
        assertTrue(md.contains("![Test accuracy per model](plots/accuracy.png)"), md);
        String html = Files.readString(bundle.resolve("report.html"));
        assertTrue(html.contains("<table id=\"comparison\">"));
        assertTrue(html.contains("<table id=\"win-tie-loss\">"));
        assertTrue(html.split("src=\"data:image/png;base64,", -1).length - 1 >= 5, "embedded plots");
        assertFalse(html.contains("src=\"plots/"), "self-contained");
        assertTrue(run.out().contains("[1/6] softmax seed 1: epoch 1/3"), run.out());
    }

    @Test
    void reproduceSaysIdenticalThenDifferentAfterTampering() throws IOException {
        CliRun same = CliRun.of("reproduce", bundle.toString());
        assertEquals(0, same.exitCode(), same.err() + same.out());
        assertTrue(same.out().contains("verdict: IDENTICAL: 6 trials"), same.out());

        Path copy = project.resolve("tampered");
        copyTree(bundle, copy);
        Path metrics = copy.resolve("trials/centroid/seed-2/metrics.json");
        Files.writeString(metrics, Files.readString(metrics).replaceFirst("\"accuracy\" : 0\\.", "\"accuracy\" : 0.0"));
        Path weights = copy.resolve("trials/softmax/seed-1/model/weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 9] ^= 1;
        Files.write(weights, bytes);
        Path metricsOfTheSameTrial = copy.resolve("trials/softmax/seed-1/metrics.json");
        Files.writeString(metricsOfTheSameTrial, Files.readString(metricsOfTheSameTrial).replaceFirst(
                "\"modelSha256\" : \"[0-9a-f]+\"", "\"modelSha256\" : \"" + DirectoryHash.sha256(weights.getParent()) + "\""));
        CliRun different = CliRun.of("reproduce", copy.toString());
        assertEquals(3, different.exitCode(), different.err() + different.out());
        assertTrue(different.out().contains("verdict: DIFFERENT: 3 value(s) differ"), different.out());
        assertTrue(different.out().matches("(?s).*softmax seed 1 +model/weights.bin +sha256 \\(recorded vs now\\) .*"),
                different.out());
        assertTrue(different.out().matches("(?s).*centroid seed 2 +metrics.json +accuracy .*"), different.out());
        assertTrue(different.out().matches("(?s).*softmax seed 1 +model/weights.bin +sha256 .*"), different.out());
    }

    @Test
    void htmlRendersInHeadlessChromium() throws Exception {
        Path script = Path.of("..", "scripts", "check-report-html.sh").toAbsolutePath().normalize();
        Path shot = project.resolve("screenshot.png");
        Process p = new ProcessBuilder("bash", script.toString(), bundle.toString(), shot.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int code = p.waitFor();
        OptionalMaterial.require(code != 77, "chromium not installed (" + output.strip() + ")");
        assertEquals(0, code, output);
        assertTrue(output.contains("report ok:") && output.contains("6 embedded plots"), output);
        assertTrue(Files.size(shot) > 30_000);
    }

    @Test
    void predictReloadsASavedModelOnIdxAndPng() throws IOException {
        Path model = bundle.resolve("trials/softmax/seed-1/model");
        var splits = new org.modelbench.data.MnistProvider().load(org.modelbench.data.DataCache.defaultDirectory(),
                s -> { });
        var test = splits.test().slice(0, 300);
        byte[] pixels = new byte[300 * 784];
        float[] x = test.features().data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.round(x[i]);
        }
        byte[] labels = new byte[300];
        for (int i = 0; i < 300; i++) {
            labels[i] = (byte) test.labels()[i];
        }
        Path images = project.resolve("images-idx3-ubyte");
        Path labelFile = project.resolve("labels-idx1-ubyte");
        org.modelbench.data.IdxWriter.write(images, new int[] {300, 28, 28}, pixels);
        org.modelbench.data.IdxWriter.write(labelFile, new int[] {300}, labels);
        CliRun idx = CliRun.of("predict", "--model", model.toString(), "--input", images.toString(),
                "--labels", labelFile.toString(), "--limit", "3");
        assertEquals(0, idx.exitCode(), idx.err());
        assertTrue(idx.out().contains("preprocessing: rescale 255.0"), idx.out());
        assertTrue(idx.out().contains("row 0: predicted 7"), idx.out());
        assertTrue(idx.out().contains("... 297 more row(s) not shown"), idx.out());
        double accuracy = Double.parseDouble(idx.out().replaceAll("(?s).*accuracy: ([0-9.]+).*", "$1"));
        assertTrue(accuracy > 0.75, idx.out());

        java.awt.image.BufferedImage png = new java.awt.image.BufferedImage(28, 28,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int xx = 0; xx < 28; xx++) {
                png.getRaster().setSample(xx, y, 0, pixels[y * 28 + xx] & 0xFF);
            }
        }
        Path image = project.resolve("seven.png");
        javax.imageio.ImageIO.write(png, "png", image.toFile());
        CliRun one = CliRun.of("predict", "--model", model.toString(), "--input", image.toString());
        assertEquals(0, one.exitCode(), one.err());
        assertTrue(one.out().contains("seven.png: predicted 7"), one.out());

        CliRun wrong = CliRun.of("predict", "--model", model.toString(), "--input", labelFile.toString());
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().contains("expected 3 dimensions") || wrong.err().contains("rank"), wrong.err());
    }

    @Test
    void modelSummaryOfAManifest() throws IOException {
        CliRun summary = CliRun.of("model", "summary", bundle.resolve("manifest.yaml").toString());
        assertEquals(0, summary.exitCode(), summary.err());
        assertTrue(summary.out().contains("3 model(s) on mnist (samples 1x28x28, 10 classes)"), summary.out());
        assertTrue(summary.out().contains("Total params: 7,850"), summary.out());
        assertTrue(summary.out().contains("== centroid (family test-centroid)\nno fixed structure"), summary.out());
    }

    /** Every model file is checked from the bundle's bytes: a flipped byte or a deleted file is exit 3, named. */
    @Test
    void reproduceHashesTheBundlesOwnFiles() throws IOException {
        Path copy = project.resolve("flipped");
        copyTree(bundle, copy);
        List<String> flipped = new java.util.ArrayList<>();
        int trial = 0;
        for (String model : List.of("softmax", "softmax-std", "centroid")) {
            Path dir = copy.resolve("trials/" + model + "/seed-1/model");
            for (String file : DirectoryHash.fileHashes(dir).keySet()) {
                // one file per trial and seed, so that every model file of the families is covered
                Path target = copy.resolve("trials/" + model + "/seed-" + (1 + trial % 2) + "/model/" + file);
                byte[] bytes = Files.readAllBytes(target);
                bytes[bytes.length / 2] ^= 0x10;
                Files.write(target, bytes);
                flipped.add(model + " seed " + (1 + trial % 2) + " +model/" + java.util.regex.Pattern.quote(file));
                trial++;
            }
        }
        Path deleted = copy.resolve("trials/centroid/seed-2/curve.json");
        Files.delete(deleted);
        Path lock = copy.resolve("lock.json");
        Files.writeString(lock, Files.readString(lock).replaceFirst("(\"train-images-idx3-ubyte\" : \")[0-9a-f]",
                "$10"));
        CliRun r = CliRun.of("reproduce", copy.toString());
        assertEquals(3, r.exitCode(), r.err() + r.out());
        for (String row : flipped) {
            assertTrue(r.out().matches("(?s).*" + row + " +sha256 .*"), row + " in\n" + r.out());
        }
        assertTrue(r.out().matches("(?s).*centroid seed 2 +curve.json +sha256 \\(recorded vs now\\) +[0-9a-f.]+ +\\(absent\\).*"),
                r.out());
        assertTrue(r.out().matches("(?s).*bundle +lock.json +data.sha256.train-images-idx3-ubyte .*"), r.out());
    }

    /** plan, then each trial on its own (last first), then report: the same results as one run. */
    @Test
    void trialByTrialInAnyOrderGivesTheSameBundleAsRun() throws IOException {
        Path other = project.resolve("stepwise");
        CliRun plan = CliRun.of("run", "--plan-only", project.resolve("tiny.yaml").toString(), "--project-dir",
                other.toString());
        assertEquals(0, plan.exitCode(), plan.err());
        Path stepwise = Path.of(plan.out().trim());
        TrialPlan trials = Json.read(stepwise.resolve(Bundle.PLAN), TrialPlan.class);
        assertEquals(6, trials.trials().size());
        assertEquals("softmax/seed-1", trials.trials().get(0).id());
        assertEquals("centroid/seed-2", trials.trials().get(5).id());
        CliRun early = CliRun.of("report", stepwise.toString());
        assertEquals(2, early.exitCode(), early.out());
        assertTrue(early.err().contains("6 of 6 trials have not finished (first: softmax/seed-1)"), early.err());
        for (int i = trials.trials().size() - 1; i >= 0; i--) {
            CliRun one = i == 2 ? CliRun.of("trial", stepwise.toString(), "--id", trials.trials().get(i).id())
                    : CliRun.of("trial", stepwise.toString(), "--index", Integer.toString(i));
            assertEquals(0, one.exitCode(), one.err());
        }
        CliRun again = CliRun.of("trial", stepwise.toString(), "--index", "0");
        assertTrue(again.out().contains("[1/6] softmax seed 1: already finished, kept"), again.out());
        CliRun report = CliRun.of("report", stepwise.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertTrue(Files.isRegularFile(stepwise.resolve(Bundle.REPORT_HTML)));
        for (TrialPlan.PlannedTrial t : trials.trials()) {
            for (String file : List.of(Bundle.METRICS, Bundle.CURVE, Bundle.PREDICTIONS)) {
                Object a = Json.MAPPER.readValue(Files.readString(bundle.resolve("trials").resolve(t.id()).resolve(file)),
                        Object.class);
                Object b = Json.MAPPER.readValue(Files.readString(stepwise.resolve("trials").resolve(t.id()).resolve(file)),
                        Object.class);
                // "files" holds each file's SHA-256, and curve.json records seconds per epoch
                assertEquals(List.of(), Differences.ofResults(a, b, java.util.Set.of("files")), t.id() + "/" + file);
            }
            assertEquals(DirectoryHash.fileHashes(bundle.resolve("trials").resolve(t.id()).resolve(Bundle.MODEL)),
                    DirectoryHash.fileHashes(stepwise.resolve("trials").resolve(t.id()).resolve(Bundle.MODEL)), t.id());
        }
        CliRun unknown = CliRun.of("trial", stepwise.toString(), "--id", "mlp/seed-9");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no trial 'mlp/seed-9' in this bundle; expected one of softmax/seed-1"),
                unknown.err());
        CliRun outOfRange = CliRun.of("trial", stepwise.toString(), "--index", "6");
        assertEquals(2, outOfRange.exitCode());
        assertTrue(outOfRange.err().contains("--index: expected 0 to 5, got 6"), outOfRange.err());
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
