package org.modelbench.examples.hello;

import org.modelbench.api.ConfigException;

/**
 * Parameters of the {@code hello-swish} layer.
 *
 * @param beta the sigmoid's slope in {@code x * sigmoid(beta * x)}, finite and {@code > 0} (default 1)
 */
public record SwishConfig(Double beta) {
    public SwishConfig {
        if (beta == null) {
            beta = 1.0;
        }
        if (!(beta > 0) || beta.isInfinite()) {
            throw new ConfigException("beta", "expected a finite number > 0, got " + beta);
        }
    }
}
