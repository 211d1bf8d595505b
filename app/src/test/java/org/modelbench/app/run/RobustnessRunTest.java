package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/**
 * A manifest with augmentation (per batch for the engine, copies for a forest), the robustness
 * metric, and a transfer attack on a random forest from a CNN listed after it.
 */
class RobustnessRunTest {
    private static final String CNN = """
              family: cnn
              params:
                layers:
                  - {type: conv2d, filters: 4, kernel: 3, activation: relu}
                  - {type: maxpool2d, pool: 2}
                  - {type: flatten}
                  - {type: dense, units: 10, activation: softmax}
                epochs: 2
                batchSize: 32
                optimizer: {type: adam, learningRate: 0.003}
          """;

    @TempDir
    Path project;

    @Test
    void robustnessCurvesTransferAttackAndAugmentationInTheReport() throws IOException {
        Path manifest = project.resolve("seeing.yaml");
        Files.writeString(manifest, """
                name: seeing
                dataset:
                  id: mnist
                  trainSize: 600
                  testSize: 100
                  validationSplit: 0
                  preprocessing: {rescale: 255}
                models:
                  - id: forest
                    family: tribuo-random-forest
                    params: {trees: 5, maxDepth: 8}
                    preprocessing: {rescale: 255, standardize: true, augmentation: {maxShift: 1}}
                  - id: cnn
                """ + CNN + """
                  - id: cnn-augmented
                    preprocessing: {rescale: 255, augmentation: {maxShift: 2, maxRotation: 10, maxZoom: 0.1}}
                """ + CNN + """
                seeds: [1]
                metrics: [accuracy, robustness]
                robustness: {epsilons: [0, 0.1, 0.3], samples: 60, pgdSteps: 3, surrogate: cnn}
                """);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err());
        Path bundle;
        try (Stream<Path> s = Files.list(project.resolve("runs/seeing"))) {
            bundle = s.findFirst().orElseThrow();
        }
        // the surrogate first: the plan says so, and every executor respects it
        TrialPlan plan = Json.read(bundle.resolve(Bundle.PLAN), TrialPlan.class);
        assertEquals(java.util.List.of("cnn/seed-1"), plan.trials().get(0).after());
        // resolved.json fills every layer spec's defaults; lock.json names the layer providers used
        Resolved resolved = Resolved.read(new Bundle(bundle));
        Object conv = ((java.util.List<?>) resolved.experiment().models().get(1).params().get("layers")).get(0);
        assertEquals(java.util.List.of("type", "filters", "kernel", "stride", "padding", "dilation", "groups",
                "activation", "useBias", "l2", "initializer"), java.util.List.copyOf(((java.util.Map<?, ?>) conv).keySet()),
                conv.toString());
        Lock lock = Lock.read(bundle.resolve(Bundle.LOCK));
        assertTrue(lock.components().stream().anyMatch(c -> c.kind().equals("layer") && c.id().equals("conv2d")),
                lock.components().toString());
        assertEquals(Bundle.FORMAT, lock.bundleFormat());
        ModelCard card = Json.read(bundle.resolve("trials/cnn/seed-1/model").resolve(ModelCard.FILE_NAME), ModelCard.class);
        assertTrue(card.layers().stream().anyMatch(l -> l.id().equals("conv2d")), card.layers().toString());
        TrialMetrics forest = Json.read(bundle.resolve("trials/forest/seed-1").resolve(Bundle.METRICS),
                TrialMetrics.class);
        TrialMetrics cnn = Json.read(bundle.resolve("trials/cnn/seed-1").resolve(Bundle.METRICS), TrialMetrics.class);
        TrialMetrics augmented = Json.read(bundle.resolve("trials/cnn-augmented/seed-1").resolve(Bundle.METRICS),
                TrialMetrics.class);
        assertEquals(1200, forest.trainSamples(), "the forest gets one augmented copy of every row");
        assertEquals(600, augmented.trainSamples(), "the engine augments per batch instead");
        assertEquals("transfer from cnn", forest.robustness().method());
        assertEquals("white-box", cnn.robustness().method());
        for (TrialMetrics m : new TrialMetrics[] {forest, cnn, augmented}) {
            RobustnessResult r = m.robustness();
            System.out.printf("%s: clean accuracy %.3f, robustness %s%n", m.model(), m.accuracy(), r.accuracy());
            assertEquals(60, r.samples());
            assertEquals(r.accuracy().get("fgsm").get(0), r.accuracy().get("noise").get(0));
            assertTrue(r.accuracy().get("pgd").get(2) < r.accuracy().get("pgd").get(0), m.model() + " " + r);
            assertEquals(r.score(), m.metric("robustness"));
        }
        assertTrue(cnn.robustness().accuracy().get("fgsm").get(1) < cnn.robustness().accuracy().get("noise").get(1),
                "white-box FGSM beats noise: " + cnn.robustness());
        assertNull(Json.read(bundle.resolve("trials/cnn/seed-1").resolve(Bundle.METRICS), TrialMetrics.class)
                .robustness().accuracy().get("none"));
        String md = Files.readString(bundle.resolve(Bundle.REPORT_MD));
        assertTrue(md.contains("## Adversarial robustness"), md);
        assertTrue(md.contains("| forest | pgd | transfer from cnn |"), md);
        assertTrue(md.contains("| cnn | noise | random ±ε signs |"), md);
        assertTrue(md.contains("## Augmentation"), md);
        assertTrue(md.contains("robustness (mean ± std)"), md);
        for (String png : new String[] {"plots/robustness.png", "plots/augmentation-cnn-augmented.png",
            "plots/augmentation-forest.png", "trials/cnn-augmented/seed-1/" + Bundle.AUGMENTED_SAMPLES}) {
            assertNotNull(ImageIO.read(bundle.resolve(png).toFile()), png + " decodes");
            assertTrue(md.contains(png.startsWith("plots/") ? "](" + png + ")" : ""), png + " embedded");
        }
        assertTrue(!Files.exists(bundle.resolve("trials/cnn/seed-1").resolve(Bundle.AUGMENTED_SAMPLES)));
        // what the CNNs see: Grad-CAM and feature maps per inspectable model, none for the forest
        assertTrue(md.contains("## What the models see"), md);
        for (String png : new String[] {"plots/gradcam-cnn.png", "plots/activations-cnn.png",
            "plots/gradcam-cnn-augmented.png"}) {
            assertNotNull(ImageIO.read(bundle.resolve(png).toFile()), png + " decodes");
            assertTrue(md.contains("](" + png + ")"), png + " embedded");
        }
        assertTrue(!Files.exists(bundle.resolve("plots/gradcam-forest.png")));
    }

    @Test
    void aModelWithoutGradientsNeedsASurrogate() throws IOException {
        Path manifest = project.resolve("nosurrogate.yaml");
        Files.writeString(manifest, """
                name: nosurrogate
                dataset: {id: mnist, trainSize: 100, testSize: 50, validationSplit: 0}
                models:
                  - {id: centroid, family: test-centroid}
                seeds: [1]
                metrics: [accuracy, robustness]
                """);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("robustness.surrogate"), run.err());
        Files.writeString(manifest, Files.readString(manifest) + "robustness: {surrogate: cnn}\n");
        CliRun unknown = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(2, unknown.exitCode(), unknown.err());
        assertTrue(unknown.err().contains("robustness.surrogate") && unknown.err().contains("got \"cnn\""),
                unknown.err());
    }
}
