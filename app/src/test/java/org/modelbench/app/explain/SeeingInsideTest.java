package org.modelbench.app.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InspectableModel;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.app.CliRun;
import org.modelbench.app.manifest.Robustness;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.run.FittedPreprocessing;
import org.modelbench.app.run.RobustnessResult;
import org.modelbench.data.DataCache;
import org.modelbench.data.IdxWriter;
import org.modelbench.data.MnistProvider;

/**
 * The seed CNN trained once on 2,000 MNIST digits (2 epochs), then: attacks against the noise
 * baseline, Grad-CAM's bounding-box sanity, and {@code modelbench explain} writing decodable PNGs.
 */
class SeeingInsideTest {
    private static final FittedPreprocessing RESCALED = new FittedPreprocessing(255.0, List.of(0.0), List.of(1.0));
    private static DatasetSplits mnist;
    private static InspectableModel cnn;
    private static Dataset test;

    @TempDir
    static Path tmp;

    @BeforeAll
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void train() {
        mnist = new MnistProvider().load(DataCache.defaultDirectory(), s -> { });
        PluginRegistry registry = PluginRegistry.load(tmp.resolve("no-plugins"), w -> { });
        ModelFamilyProvider family = registry.requireFamily("seed-cnn");
        Record config = registry.bindConfig("seed-cnn", Map.of("epochs", 2, "batchSize", 32,
                "optimizer", Map.of("type", "adam")), "params");
        long start = System.nanoTime();
        Model model = family.trainer(config, registry.context()).train(rescaled(mnist.train().slice(0, 2000)), Optional.empty(),
                RunContext.of(7).withThreads(2));
        System.out.printf("seed-cnn on 2000 digits, 2 epochs: %.1f s%n", (System.nanoTime() - start) / 1e9);
        cnn = (InspectableModel) model;
        test = rescaled(mnist.test().slice(0, 100));
    }

    static Dataset rescaled(Dataset d) {
        Tensor x = d.features().copy();
        RESCALED.apply(x);
        return d.withFeatures(x);
    }

    @Test
    void fgsmHurtsFarMoreThanNoiseAndPgdIsAtLeastAsStrong() {
        Robustness settings = new Robustness(List.of(0.0, 0.1), List.of(Robustness.Attack.FGSM,
                Robustness.Attack.PGD), 100, 5, null);
        RobustnessEvaluation.Side side = new RobustnessEvaluation.Side(cnn, PixelSpace.of(RESCALED));
        long start = System.nanoTime();
        RobustnessResult r = RobustnessEvaluation.evaluate(side, side, "white-box", test, settings, 3);
        System.out.printf("robustness of seed-cnn on 100 test digits (%.1f s): %s%n", (System.nanoTime() - start) / 1e9,
                r.accuracy());
        double clean = r.accuracy().get("fgsm").get(0);
        double noise = r.accuracy().get(RobustnessResult.NOISE).get(1);
        double fgsm = r.accuracy().get("fgsm").get(1);
        double pgd = r.accuracy().get("pgd").get(1);
        assertEquals(clean, r.accuracy().get(RobustnessResult.NOISE).get(0), "epsilon 0 is the clean accuracy");
        assertTrue(clean > 0.85, "clean accuracy " + clean);
        assertTrue(clean - noise < 0.05, "noise +-0.1 barely matters: " + clean + " -> " + noise);
        assertTrue(clean - fgsm > 0.15, "FGSM at 0.1 hurts: " + clean + " -> " + fgsm);
        assertTrue(clean - fgsm > 5 * Math.max(0.01, clean - noise), "FGSM far beyond noise: " + r.accuracy());
        assertTrue(pgd <= fgsm, "PGD at least as strong: " + pgd + " vs " + fgsm);
        assertEquals(Math.min(fgsm, pgd) / 2 + clean / 2, r.score(), 1e-12);
        // deterministic for a seed
        assertEquals(r, RobustnessEvaluation.evaluate(side, side, "white-box", test, settings, 3));
    }

    @Test
    void gradCamMassLiesOnTheDigit() {
        Dataset digits = test.slice(0, 100);
        String layer = GradCam.defaultLayer(cnn);
        assertEquals("conv2d_2", layer, "the last convolution");
        int[] predicted = cnn.predict(digits.features());
        Tensor heat = GradCam.heatmaps(cnn, digits.features(), layer, predicted);
        double sum = 0;
        for (int i = 0; i < 100; i++) {
            float[] map = new float[784];
            float[] image = new float[784];
            System.arraycopy(heat.data(), i * 784, map, 0, 784);
            System.arraycopy(digits.features().data(), i * 784, image, 0, 784);
            double mass = GradCam.massInBoundingBox(map, image, 28, 28, 0.1f, 2);
            sum += Double.isNaN(mass) ? 0 : mass;
        }
        double mean = sum / 100;
        System.out.printf("Grad-CAM (layer %s) mass within the digit's bounding box + 2 px, 100 digits: %.3f%n", layer,
                mean);
        assertTrue(mean >= 0.70, "mean mass " + mean);
        // a uniform map would put only the box's share of the area there; a real one beats it
        double uniform = 0;
        for (int i = 0; i < 100; i++) {
            float[] image = new float[784];
            System.arraycopy(digits.features().data(), i * 784, image, 0, 784);
            float[] flat = new float[784];
            java.util.Arrays.fill(flat, 1f);
            uniform += GradCam.massInBoundingBox(flat, image, 28, 28, 0.1f, 2) / 100;
        }
        System.out.printf("uniform map for comparison: %.3f%n", uniform);
        assertTrue(mean > uniform, mean + " vs uniform " + uniform);
    }

    @Test
    void explainWritesDecodablePngsAndRejectsBadInput() throws IOException {
        Path model = tmp.resolve("bundle/model");
        cnn.save(model);
        Json(model.getParent().resolve(FittedPreprocessing.FILE_NAME));
        Path idx = tmp.resolve("digits-idx");
        Dataset raw = mnist.test().slice(0, 3);
        byte[] pixels = new byte[raw.features().data().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.round(raw.features().data()[i]);
        }
        IdxWriter.write(idx, new int[] {3, 28, 28}, pixels);
        Path out = tmp.resolve("explained");
        CliRun run = CliRun.of("explain", "--model", model.toString(), "--input", idx.toString(), "--count", "2",
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<Path> pngs;
        try (Stream<Path> s = Files.list(out)) {
            pngs = s.sorted().toList();
        }
        // 2 inputs x 3 feature-map layers (conv2d_1, conv2d_2, maxpool2d_1; not dropout) + one Grad-CAM picture
        assertEquals(7, pngs.size(), pngs.toString());
        assertTrue(Files.isRegularFile(out.resolve("input-1-activations-maxpool2d_1.png")));
        for (Path png : pngs) {
            assertTrue(run.out().contains("wrote " + png), run.out());
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " decodes");
            assertTrue(image.getWidth() > 50 && image.getHeight() > 50, png.toString());
        }
        BufferedImage cam = ImageIO.read(out.resolve("gradcam.png").toFile());
        // three 28x28 columns (input, heatmap, overlay) and two rows, 3x enlarged with 2-pixel gaps
        assertEquals(3 * (84 + 2) + 2, cam.getWidth());
        assertEquals(2 * (84 + 2) + 2, cam.getHeight());
        assertTrue(run.out().contains("input 0: predicted 7"), run.out());

        CliRun chosen = CliRun.of("explain", "--model", model.toString(), "--input", idx.toString(), "--count", "1",
                "--layers", "conv2d_1", "--class", "3", "--out", tmp.resolve("chosen").toString());
        assertEquals(0, chosen.exitCode(), chosen.err());
        assertTrue(chosen.out().contains("Grad-CAM of class 3"), chosen.out());
        assertEquals(2, Files.list(tmp.resolve("chosen")).count());

        for (String[] bad : new String[][] {
            {"--layers", "nope"}, {"--class", "12"}, {"--gradcam-layer", "dense_1"}, {"--count", "0"}}) {
            CliRun r = CliRun.of(Stream.concat(Stream.of("explain", "--model", model.toString(), "--input",
                    idx.toString(), "--out", tmp.resolve("bad").toString()), Stream.of(bad)).toArray(String[]::new));
            assertEquals(2, r.exitCode(), String.join(" ", bad) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        // a PNG input (grey, 28x28) works too
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 784; p++) {
            digit.getRaster().setSample(p % 28, p / 28, 0, (int) raw.features().data()[p]);
        }
        Path png = tmp.resolve("seven.png");
        ImageIO.write(digit, "png", png.toFile());
        CliRun fromPng = CliRun.of("explain", "--model", model.toString(), "--input", png.toString(), "--layers",
                "maxpool2d_1", "--out", tmp.resolve("from-png").toString());
        assertEquals(0, fromPng.exitCode(), fromPng.err());
        assertTrue(fromPng.out().contains("input 0: predicted 7"), fromPng.out());
        assertNotNull(ImageIO.read(tmp.resolve("from-png/input-0-activations-maxpool2d_1.png").toFile()));

        CliRun missing = CliRun.of("explain", "--model", model.toString(), "--input", tmp.resolve("none").toString(),
                "--out", tmp.resolve("bad").toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    private static void Json(Path file) throws IOException {
        Files.writeString(file, "{\"rescale\": 255.0, \"mean\": [0.0], \"std\": [1.0]}");
    }
}
