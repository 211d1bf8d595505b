package org.modelbench.examples.hello;

import org.modelbench.api.ConfigException;

/**
 * Parameters of {@code hello-nearest-centroid}.
 *
 * @param sharpness how peaked the class probabilities are, {@code > 0} (default 10)
 */
public record NearestCentroidConfig(Double sharpness) {
    public NearestCentroidConfig {
        if (sharpness == null) {
            sharpness = 10.0;
        }
        if (!(sharpness > 0) || sharpness.isInfinite()) {
            throw new ConfigException("sharpness", "expected a finite number > 0, got " + sharpness);
        }
    }
}
