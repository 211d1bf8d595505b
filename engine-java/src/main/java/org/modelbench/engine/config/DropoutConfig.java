package org.modelbench.engine.config;

/**
 * Inverted dropout: while training, each value is zeroed with probability {@code rate} and the
 * survivors are scaled by {@code 1 / (1 - rate)}; inference is the identity. Masks derive from the
 * batch seed alone.
 *
 * @param rate the drop probability in {@code [0, 1)} (required)
 */
public record DropoutConfig(Float rate) {
    public DropoutConfig {
        if (rate == null) {
            throw new org.modelbench.api.ConfigException("rate", "missing; expected a number in [0, 1)");
        }
        rate = LayerConfigs.fraction(rate, "rate", 0f);
    }
}
