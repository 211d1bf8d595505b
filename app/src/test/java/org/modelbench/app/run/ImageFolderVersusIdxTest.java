package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.app.CliRun;
import org.modelbench.data.DataCache;
import org.modelbench.data.IdxWriter;
import org.modelbench.data.MnistProvider;

/**
 * Real MNIST digits written as PNG files into class folders train the seed CNN exactly as the same
 * digits read from IDX files: same rows in the same order, so the same seed gives identical results.
 */
class ImageFolderVersusIdxTest {
    @TempDir
    Path project;

    @Test
    void pngFoldersTrainTheSeedCnnIdenticallyToIdx() throws IOException {
        var mnist = new MnistProvider().load(DataCache.defaultDirectory(), line -> { });
        write("train", byLabel(mnist.train().slice(0, 1500)));
        write("test", byLabel(mnist.test().slice(0, 500)));
        String models = """
                models:
                  - id: cnn
                    family: seed-cnn
                    params: {epochs: 1, batchSize: 64, optimizer: {type: adam}}
                    trainer: {threads: 1}
                seeds: [7]
                """;
        Files.writeString(project.resolve("idx.yaml"), """
                name: digits-idx
                dataset:
                  files: {trainImages: train-images, trainLabels: train-labels, testImages: test-images,
                          testLabels: test-labels}
                  preprocessing: {rescale: 255}
                """ + models);
        Files.writeString(project.resolve("png.yaml"), """
                name: digits-png
                dataset:
                  id: image-folder
                  params: {train: png/train, test: png/test, channels: 1}
                  preprocessing: {rescale: 255}
                """ + models);
        TrialMetrics idx = run("idx.yaml", "digits-idx");
        TrialMetrics png = run("png.yaml", "digits-png");
        assertEquals(500, png.testSamples());
        assertTrue(png.accuracy() > 0.6, "one epoch on 1,500 digits: " + png.accuracy());
        assertEquals(idx.accuracy(), png.accuracy());
        assertEquals(idx.logLoss(), png.logLoss());
        assertEquals(idx.modelSha256(), png.modelSha256());
    }

    private TrialMetrics run(String manifest, String name) throws IOException {
        CliRun run = CliRun.of("run", project.resolve(manifest).toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err());
        try (Stream<Path> found = Files.walk(project.resolve("runs").resolve(name))) {
            Path metrics = found.filter(p -> p.getFileName().toString().equals("metrics.json")).findFirst().orElseThrow();
            return Json.read(metrics, TrialMetrics.class);
        }
    }

    /** The rows sorted by label (stable): the order an image folder lists them in, class folder by class folder. */
    private static Dataset byLabel(Dataset d) {
        int[] order = IntStream.range(0, d.size()).boxed()
                .sorted(java.util.Comparator.comparingInt(i -> d.labels()[i])).mapToInt(Integer::intValue).toArray();
        return d.select(order);
    }

    /** The digits as IDX files {@code <split>-images}/{@code -labels} and as PNGs in {@code png/<split>/<digit>/}. */
    private void write(String split, Dataset d) throws IOException {
        float[] x = d.features().data();
        byte[] pixels = new byte[x.length];
        byte[] labels = new byte[d.size()];
        for (int i = 0; i < x.length; i++) {
            pixels[i] = (byte) x[i];
        }
        for (int i = 0; i < d.size(); i++) {
            labels[i] = (byte) d.labels()[i];
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            int[] digit = new int[784];
            for (int p = 0; p < 784; p++) {
                digit[p] = (int) x[i * 784 + p];
            }
            image.getRaster().setPixels(0, 0, 28, 28, digit);
            Path folder = Files.createDirectories(project.resolve("png").resolve(split)
                    .resolve(d.classNames().get(d.labels()[i])));
            ImageIO.write(image, "png", folder.resolve(String.format("%05d.png", i)).toFile());
        }
        IdxWriter.write(project.resolve(split + "-images"), new int[] {d.size(), 28, 28}, pixels);
        IdxWriter.write(project.resolve(split + "-labels"), new int[] {d.size()}, labels);
    }
}
