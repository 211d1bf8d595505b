package org.modelbench.api;

import java.util.List;
import java.util.Map;

/**
 * A labelled classification dataset held in memory.
 *
 * <p>{@code features} has shape {@code [N, ...sampleShape]} (images: {@code [N, C, H, W]}, values as
 * stored or after preprocessing: raw MNIST pixels are 0..255); {@code labels[i]} is the class index
 * of row {@code i}, in {@code [0, classNames.size())}. Arrays are not copied: treat them as
 * read-only.
 *
 * @param name       a human-readable name, e.g. {@code mnist/train}
 * @param features   the inputs, batch dimension first
 * @param labels     one class index per row
 * @param classNames the class names, index = label
 * @param metadata   free-form facts (source, file hashes, preprocessing applied)
 */
public record Dataset(String name, Tensor features, int[] labels, List<String> classNames,
                      Map<String, String> metadata) {

    public Dataset {
        if (features.shape().rank() < 2) {
            throw new IllegalArgumentException("dataset " + name + ": features need a batch dimension, got "
                    + features.shape());
        }
        if (features.shape().dim(0) != labels.length) {
            throw new IllegalArgumentException("dataset " + name + ": " + features.shape().dim(0)
                    + " feature rows but " + labels.length + " labels");
        }
        classNames = List.copyOf(classNames);
        metadata = Map.copyOf(metadata);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("dataset " + name + ": label " + labels[i] + " at row " + i
                        + " outside [0, " + classNames.size() + ")");
            }
        }
    }

    /** Number of rows. */
    public int size() {
        return labels.length;
    }

    /** Number of classes. */
    public int numClasses() {
        return classNames.size();
    }

    /** The shape of one sample (features without the batch dimension). */
    public Shape sampleShape() {
        return features.shape().withoutBatch();
    }

    /** Rows {@code [from, to)}, copied. */
    public Dataset slice(int from, int to) {
        return new Dataset(name, features.slice(from, to), java.util.Arrays.copyOfRange(labels, from, to),
                classNames, metadata);
    }

    /** The rows at {@code indices}, copied in that order. */
    public Dataset select(int[] indices) {
        int[] selected = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            selected[i] = labels[indices[i]];
        }
        return new Dataset(name, features.gather(indices), selected, classNames, metadata);
    }

    /** The same rows with new features (for preprocessing); the row count must not change. */
    public Dataset withFeatures(Tensor newFeatures) {
        return new Dataset(name, newFeatures, labels, classNames, metadata);
    }

    /** Counts of each label, index = class. */
    public int[] labelCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
