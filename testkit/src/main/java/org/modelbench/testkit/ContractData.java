package org.modelbench.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.modelbench.api.Dataset;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/** Small, deterministic, learnable datasets for contract tests. */
public final class ContractData {
    private ContractData() {
    }

    /**
     * {@code rows} samples of {@code sampleShape} in {@code classes} classes (labels cycle
     * {@code 0, 1, ..., classes - 1}): each class has its own mean pattern in [0, 1] plus uniform
     * noise of half its amplitude, so the classes are separable but not trivially so. Values lie in
     * [0, 1.5); the same arguments give the same data.
     */
    public static Dataset blobs(int rows, int classes, Shape sampleShape, long seed) {
        if (rows < classes || classes < 2) {
            throw new IllegalArgumentException("expected rows >= classes >= 2, got " + rows + " rows, " + classes
                    + " classes");
        }
        int d = sampleShape.size();
        SplittableRandom means = new SplittableRandom(0x5EEDL);
        float[] mean = new float[classes * d];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) means.nextDouble();
        }
        SplittableRandom noise = new SplittableRandom(seed);
        float[] x = new float[rows * d];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = r % classes;
            for (int f = 0; f < d; f++) {
                x[r * d + f] = mean[y[r] * d + f] + (float) (0.5 * noise.nextDouble());
            }
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class-" + c);
        }
        return new Dataset("blobs", Tensor.of(sampleShape.withBatch(rows), x), y, names, Map.of());
    }

    /** {@code count} values drawn uniformly from {@code [-scale, scale)}. */
    static float[] uniform(int count, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
