package org.modelbench.engine.config;

/**
 * Batch normalisation per channel (CHW inputs) or per feature (flat inputs), with Keras' defaults.
 * Training normalises with the batch's mean and biased variance and updates the moving statistics
 * {@code moving = momentum * moving + (1 - momentum) * batch}; inference uses the moving statistics.
 *
 * @param momentum in {@code [0, 1)}, default 0.99
 * @param epsilon  added to the variance, default 0.001
 */
public record BatchNormConfig(Float momentum, Float epsilon) {
    public BatchNormConfig {
        momentum = LayerConfigs.fraction(momentum, "momentum", 0.99f);
        epsilon = LayerConfigs.positive(epsilon, "epsilon", 1e-3f);
    }
}
