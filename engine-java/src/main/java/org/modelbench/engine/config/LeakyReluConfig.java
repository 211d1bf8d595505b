package org.modelbench.engine.config;

/**
 * {@code y = x} for {@code x > 0}, else {@code alpha * x}.
 *
 * @param alpha the negative slope, default 0.3 (Keras' default)
 */
public record LeakyReluConfig(Float alpha) {
    public LeakyReluConfig {
        alpha = LayerConfigs.nonNegative(alpha, "alpha", 0.3f);
    }
}
