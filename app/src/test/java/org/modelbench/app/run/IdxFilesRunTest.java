package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.app.CliRun;
import org.modelbench.data.DataCache;
import org.modelbench.data.IdxWriter;
import org.modelbench.data.MnistProvider;

/**
 * A manifest over IDX files (relative to the manifest) with shift augmentation and standardisation;
 * parallel trials give the same results as sequential ones; resume refuses changed data.
 */
class IdxFilesRunTest {
    @TempDir
    Path project;

    @Test
    void idxFilesAugmentationParallelTrialsAndChangedData() throws IOException {
        var splits = new MnistProvider().load(DataCache.defaultDirectory(), s -> { });
        Path data = project.resolve("experiments/data");
        write(data, "train", splits.train().slice(0, 900));
        write(data, "test", splits.test().slice(0, 300));
        Path manifest = project.resolve("experiments/idx.yaml");
        Files.writeString(manifest, """
                name: idx
                dataset:
                  files:
                    trainImages: data/train-images
                    trainLabels: data/train-labels
                    testImages: data/test-images
                    testLabels: data/test-labels
                  preprocessing:
                    rescale: 255
                    standardize: true
                    augmentation: {type: shift, maxShift: 2, copies: 1}
                models:
                  - id: softmax
                    family: test-softmax
                    params: {epochs: 2, learningRate: 0.01}
                  - id: centroid
                    family: test-centroid
                seeds: [5, 6]
                metrics: [accuracy, macroF1]
                """);
        CliRun sequential = CliRun.of("run", manifest.toString(), "--project-dir", project.resolve("a").toString());
        assertEquals(0, sequential.exitCode(), sequential.err());
        CliRun parallel = CliRun.of("run", manifest.toString(), "--jobs", "3", "--project-dir",
                project.resolve("b").toString());
        assertEquals(0, parallel.exitCode(), parallel.err());
        Path a = bundle(project.resolve("a"));
        Path b = bundle(project.resolve("b"));
        for (String model : List.of("softmax", "centroid")) {
            for (int seed : new int[] {5, 6}) {
                Path trial = Path.of("trials", model, "seed-" + seed);
                TrialMetrics m = Json.read(a.resolve(trial).resolve(Bundle.METRICS), TrialMetrics.class);
                assertEquals(1800, m.trainSamples(), "900 rows + 900 shifted copies");
                assertEquals(300, m.testSamples());
                assertTrue(m.accuracy() > 0.7, "accuracy " + m.accuracy());
                assertEquals(List.of(), Differences.ofResults(
                        Json.MAPPER.readValue(Files.readString(a.resolve(trial).resolve(Bundle.METRICS)), Object.class),
                        Json.MAPPER.readValue(Files.readString(b.resolve(trial).resolve(Bundle.METRICS)), Object.class),
                        java.util.Set.of("files")), "--jobs 3 must not change " + trial);
                FittedPreprocessing p = Json.read(a.resolve(trial).resolve(FittedPreprocessing.FILE_NAME),
                        FittedPreprocessing.class);
                assertEquals(255.0, p.rescale());
                assertTrue(p.mean().get(0) > 0.05 && p.mean().get(0) < 0.2, "MNIST mean " + p.mean());
            }
        }
        Map<String, Object> lock = Json.readTree(a.resolve(Bundle.LOCK));
        assertEquals(DataCache.sha256(data.resolve("train-images")),
                ((Map<?, ?>) ((Map<?, ?>) lock.get("data")).get("sha256")).get("train-images"));
        String md = Files.readString(a.resolve(Bundle.REPORT_MD));
        assertTrue(md.contains("| accuracy (mean ± std) [95% CI] | macroF1 (mean ± std) [95% CI] |"), md);
        assertTrue(md.contains("## Provenance (lock.json)"), md);

        // a trial left unfinished, then the data changes: resume refuses, naming the file
        Bundle.deleteTree(a.resolve("trials/centroid/seed-6"));
        write(data, "test", splits.test().slice(300, 600));
        CliRun resume = CliRun.of("run", "--resume", a.toString());
        assertEquals(2, resume.exitCode(), resume.err());
        assertTrue(resume.err().contains("the data files changed since the run started (test-images: "), resume.err());
        assertTrue(!Files.exists(a.resolve("trials/centroid/seed-6")), "nothing rerun");
    }

    private static void write(Path dir, String split, Dataset d) throws IOException {
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
        try (Stream<Path> s = Files.list(project.resolve("runs/idx"))) {
            return s.findFirst().orElseThrow();
        }
    }
}
