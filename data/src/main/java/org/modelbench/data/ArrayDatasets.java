package org.modelbench.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/** Datasets from feature and label arrays: shapes and labels checked against each other, a held-out split. */
final class ArrayDatasets {
    private ArrayDatasets() {
    }

    /**
     * The splits of {@code x}/{@code y} and {@code testX}/{@code testY} (both {@code null}: {@code testSplit}
     * of the rows are held out, stratified).
     */
    static DatasetSplits splits(String name, NpyReader.NpyArray x, NpyReader.NpyArray y, NpyReader.NpyArray testX,
                                NpyReader.NpyArray testY, List<String> classes, double testSplit,
                                Map<String, String> metadata) {
        int[] labels = labels(x, y);
        int[] testLabels = testX == null ? null : labels(testX, testY);
        int max = Arrays.stream(labels).max().orElse(0);
        if (testLabels != null) {
            max = Math.max(max, Arrays.stream(testLabels).max().orElse(0));
        }
        List<String> names = classes;
        if (names == null) {
            names = new ArrayList<>();
            for (int c = 0; c <= Math.max(1, max); c++) {
                names.add(String.valueOf(c));
            }
        } else if (max >= names.size()) {
            throw new InvalidInputException(y.source() + ": label " + max + " but " + names.size()
                    + " class names; expected labels 0 to " + (names.size() - 1));
        }
        Shape sample = sampleShape(x);
        if (testX != null && !sampleShape(testX).equals(sample)) {
            throw new InvalidInputException(testX.source() + ": samples " + sampleShape(testX) + " but "
                    + x.source() + " has " + sample + "; expected the same sample shape");
        }
        Dataset all = new Dataset(name + "/train", Tensor.of(sample.withBatch(labels.length), x.values()), labels,
                names, metadata);
        if (testX != null) {
            return new DatasetSplits(all, new Dataset(name + "/test", Tensor.of(sample.withBatch(testLabels.length),
                    testX.values()), testLabels, names, metadata));
        }
        List<String> classNames = names;
        boolean[] isTest = Stratified.holdout(labels, names.size(), testSplit,
                c -> y.source() + ": class " + c + " ('" + classNames.get(c) + "')", "row");
        return split(all, isTest, name);
    }

    /** {@code all} split into the rows not in {@code isTest} and those in it. */
    static DatasetSplits split(Dataset all, boolean[] isTest, String name) {
        int tests = 0;
        for (boolean t : isTest) {
            tests += t ? 1 : 0;
        }
        int[] train = new int[isTest.length - tests];
        int[] test = new int[tests];
        for (int i = 0, a = 0, b = 0; i < isTest.length; i++) {
            if (isTest[i]) {
                test[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        Dataset trainRows = all.select(train);
        Dataset testRows = all.select(test);
        return new DatasetSplits(rename(trainRows, name + "/train"), rename(testRows, name + "/test"));
    }

    private static Dataset rename(Dataset d, String name) {
        return new Dataset(name, d.features(), d.labels(), d.classNames(), d.metadata());
    }

    private static Shape sampleShape(NpyReader.NpyArray x) {
        int[] shape = x.shape();
        if (shape.length < 2 || shape.length > 4) {
            throw new InvalidInputException(x.source() + ": shape " + Arrays.toString(shape) + "; expected [N, F], "
                    + "[N, C, L] or [N, C, H, W]");
        }
        return Shape.of(Arrays.copyOfRange(shape, 1, shape.length));
    }

    private static int[] labels(NpyReader.NpyArray x, NpyReader.NpyArray y) {
        int[] shape = y.shape();
        if (!y.isInteger() || shape.length > 2 || shape.length == 2 && shape[1] != 1) {
            throw new InvalidInputException(y.source() + ": " + y.descr() + " " + Arrays.toString(shape)
                    + "; expected labels of shape [N] with an integer type (|u1 <i4 <i8)");
        }
        if (shape[0] != x.shape()[0]) {
            throw new InvalidInputException(y.source() + " holds " + shape[0] + " labels but " + x.source() + " holds "
                    + x.shape()[0] + " rows; expected one label per row");
        }
        int[] labels = new int[shape[0]];
        for (int i = 0; i < labels.length; i++) {
            float v = y.values()[i];
            if (v < 0 || v > 1_000_000) {
                throw new InvalidInputException(y.source() + ": label " + (long) v + " at index " + i
                        + "; expected a class index >= 0");
            }
            labels[i] = (int) v;
        }
        return labels;
    }
}
