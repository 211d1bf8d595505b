package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.app.CliRun;
import org.modelbench.data.DataCache;
import org.modelbench.data.MnistProvider;

/**
 * Sequences {@code [C, L]} through {@code modelbench run}: MNIST digits read row by row (28 channels
 * of 28 steps) saved as NumPy arrays {@code [N, 28, 28]}; {@code cnn1d} learns them, image families
 * and robustness are refused when the manifest is checked.
 */
class SequenceRunTest {
    @TempDir
    Path project;

    /** Rows {@code [from, from + n)} of a split as {@code <f4 [n, 28, 28]} (pixels / 255) and {@code <i8 [n]}. */
    static void writeNpy(Dataset split, int n, Path features, Path labels) throws IOException {
        float[] x = split.features().data();
        ByteBuffer f = ByteBuffer.allocate(n * 784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * 784; i++) {
            f.putFloat(x[i] / 255f);
        }
        Files.write(features, npy("<f4", "(" + n + ", 28, 28)", f.array()));
        ByteBuffer y = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            y.putLong(split.labels()[i]);
        }
        Files.write(labels, npy("<i8", "(" + n + ",)", y.array()));
    }

    /** A version 1.0 .npy file: magic, header padded with spaces to a multiple of 64 bytes, data. */
    static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    private static final String MANIFEST = """
            name: digit-rows
            dataset:
              id: npy
              params: {features: train-x.npy, labels: train-y.npy, testFeatures: test-x.npy, testLabels: test-y.npy}
            models:
              - id: cnn1d
                family: cnn1d
                params: {epochs: 8, optimizer: {type: adam, learningRate: 0.003}}
                trainer: {threads: 2}
            seeds: [1]
            outputs: {report: false}
            """;

    @Test
    void cnn1dLearnsDigitRowsAndImageOnlyFeaturesAreRefused() throws IOException {
        DatasetSplits mnist = new MnistProvider().load(DataCache.defaultDirectory(), s -> { });
        writeNpy(mnist.train(), 2000, project.resolve("train-x.npy"), project.resolve("train-y.npy"));
        writeNpy(mnist.test(), 500, project.resolve("test-x.npy"), project.resolve("test-y.npy"));
        Path manifest = project.resolve("rows.yaml");

        Files.writeString(manifest, MANIFEST.replace("family: cnn1d", "family: seed-cnn").replace(
                "params: {epochs: 8, optimizer: {type: adam, learningRate: 0.003}}", "params: {epochs: 1}"));
        CliRun image = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(2, image.exitCode(), image.err());
        assertEquals("modelbench: error: rows.yaml:8:5 models[0].params: model seed-cnn needs image samples [channels, "
                + "height, width], but the data's samples are 28x28 (a sequence: channels x length)", image.err().strip());

        Files.writeString(manifest, MANIFEST + "metrics: [accuracy, robustness]\n");
        CliRun robust = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(2, robust.exitCode(), robust.err());
        assertTrue(robust.err().contains("need image samples [channels, height, width]; the dataset's samples are 28x28 "
                + "(a sequence: channels x length)"), robust.err());
        assertTrue(Files.notExists(project.resolve("runs")), "nothing written for a refused manifest");

        Files.writeString(manifest, MANIFEST);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err());
        Path bundle;
        try (Stream<Path> s = Files.list(project.resolve("runs/digit-rows"))) {
            bundle = s.findFirst().orElseThrow();
        }
        TrialMetrics m = Json.read(bundle.resolve("trials/cnn1d/seed-1").resolve(Bundle.METRICS), TrialMetrics.class);
        System.out.printf("cnn1d on 500 test digits read as 28x28 sequences: accuracy %.3f%n", m.accuracy());
        assertTrue(m.accuracy() >= 0.85, "cnn1d accuracy " + m.accuracy());
    }
}
