package org.modelbench.api;

import java.util.Objects;

/**
 * What a manifest check knows about the data before anything is loaded: enough for a family to
 * reject a configuration that cannot fit (a layer larger than its input, {@code k} nearest
 * neighbours with fewer training rows than {@code k}).
 *
 * @param sampleShape the per-sample shape (CHW for images)
 * @param numClasses  the number of classes, {@code >= 1}
 * @param trainRows   the number of rows the trainer will be given (after any validation split,
 *                    before augmentation copies), {@code >= 1}
 */
public record DataShape(Shape sampleShape, int numClasses, int trainRows) {
    public DataShape {
        Objects.requireNonNull(sampleShape, "sampleShape");
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        if (trainRows < 1) {
            throw new IllegalArgumentException("trainRows must be >= 1, got " + trainRows);
        }
    }
}
