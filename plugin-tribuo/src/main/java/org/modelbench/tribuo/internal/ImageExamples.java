package org.modelbench.tribuo.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The adapter between the platform's dense tensors and Tribuo examples for one per-sample shape.
 *
 * <p>Every element of a sample becomes one real-valued feature named {@code f000}..{@code f783} (for
 * 1x28x28; zero-padded so that name order is element order), zeros included, so that the Tribuo
 * feature domain is always the whole input. The names are built once per adapter and shared by all
 * examples, which are read-only views of the tensor's rows ({@link TensorRowExample}: no values
 * copied; NaN refused up front). Class {@code c} becomes the Tribuo label named
 * {@code classNames.get(c)}.
 */
public final class ImageExamples {
    private static final LabelFactory LABELS = new LabelFactory();

    private final Shape sampleShape;
    private final String[] featureNames;

    /** An adapter for samples of {@code sampleShape} (CHW for images). */
    public ImageExamples(Shape sampleShape) {
        this.sampleShape = sampleShape;
        int d = sampleShape.size();
        int width = Integer.toString(Math.max(0, d - 1)).length();
        this.featureNames = new String[d];
        for (int i = 0; i < d; i++) {
            String digits = Integer.toString(i);
            featureNames[i] = "f" + "0".repeat(width - digits.length()) + digits;
        }
    }

    /** The per-sample shape. */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** Number of features per row. */
    public int featureCount() {
        return featureNames.length;
    }

    /**
     * The labelled rows of {@code data} as a Tribuo dataset.
     *
     * @throws InvalidInputException if the samples do not have this adapter's shape, or two classes
     *                               share a name (Tribuo identifies classes by name)
     */
    public MutableDataset<Label> toTribuo(Dataset data) {
        requireShape(data.features(), data.name());
        List<Label> labels = labelsOf(data.classNames(), data.name());
        MutableDataset<Label> out = new MutableDataset<>(
                new SimpleDataSourceProvenance("modelbench:" + data.name(), LABELS), LABELS);
        requireNoNaN(data.features(), data.name(), 0, y(data));
        float[] x = data.features().data();
        int d = featureNames.length;
        int[] y = data.labels();
        for (int row = 0; row < y.length; row++) {
            out.add(new TensorRowExample(labels.get(y[row]), featureNames, x, row * d));
        }
        return out;
    }

    /**
     * Unlabelled rows {@code [from, to)} of {@code batch} ({@code [N, ...sampleShape]}) for
     * prediction, in row order.
     *
     * @throws InvalidInputException if the batch does not have shape {@code [N, ...sampleShape]}
     */
    public List<Example<Label>> unlabelled(Tensor batch, int from, int to) {
        requireShape(batch, "batch");
        requireNoNaN(batch, "batch", from, to);
        float[] x = batch.data();
        int d = featureNames.length;
        List<Example<Label>> out = new ArrayList<>(to - from);
        for (int row = from; row < to; row++) {
            out.add(new TensorRowExample(LabelFactory.UNKNOWN_LABEL, featureNames, x, row * d));
        }
        return out;
    }

    private static int y(Dataset data) {
        return data.labels().length;
    }

    /** The sample element index of feature {@code name}, or -1 if it is not one of this adapter's. */
    int elementOf(String name) {
        int at = java.util.Arrays.binarySearch(featureNames, name);
        return at >= 0 ? at : -1;
    }

    /** Throws on the first NaN in rows {@code [from, to)} of {@code batch}, naming the row and element. */
    void requireNoNaN(Tensor batch, String what, int from, int to) {
        float[] x = batch.data();
        int d = featureNames.length;
        for (int i = from * d; i < to * d; i++) {
            if (x[i] != x[i]) {
                throw new InvalidInputException(what + ": row " + (i / d) + ", element " + (i % d)
                        + " is NaN; Tribuo models need finite feature values");
            }
        }
    }

    /** Throws unless {@code tensor} is a batch of samples of this adapter's shape. */
    void requireShape(Tensor tensor, String what) {
        Shape shape = tensor.shape();
        if (shape.rank() < 2 || !shape.withoutBatch().equals(sampleShape)) {
            throw new InvalidInputException(what + ": expected samples of shape " + sampleShape
                    + " (a batch [N, " + sampleShape + "]), got " + shape);
        }
    }

    /** One Tribuo label per class, index = class; names must be distinct. */
    static List<Label> labelsOf(List<String> classNames, String what) {
        List<Label> labels = new ArrayList<>(classNames.size());
        var seen = new HashSet<String>();
        for (String name : classNames) {
            if (!seen.add(name)) {
                throw new InvalidInputException(what + ": class name '" + name
                        + "' occurs twice; Tribuo models need distinct class names");
            }
            labels.add(new Label(name));
        }
        return labels;
    }
}
