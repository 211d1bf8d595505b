package org.modelbench.api;

/**
 * The standard train/test split of a dataset, as its provider publishes it.
 *
 * @param train the training rows
 * @param test  the held-out test rows, with the same sample shape and class names
 */
public record DatasetSplits(Dataset train, Dataset test) {
    public DatasetSplits {
        if (!train.sampleShape().equals(test.sampleShape())) {
            throw new IllegalArgumentException("train samples are " + train.sampleShape() + " but test samples are "
                    + test.sampleShape());
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("train and test class names differ");
        }
    }
}
