package org.modelbench.engine.config;

/**
 * Local response normalisation across channels (AlexNet):
 * {@code y_c = x_c / (k + alpha / size * sum_{c' in window(c)} x_{c'}^2)^beta}, the window being the
 * {@code size} channels centred on {@code c} (ONNX LRN's definition).
 *
 * @param size  channels in the window, odd, default 5
 * @param alpha default 1e-4
 * @param beta  default 0.75
 * @param bias  {@code k}, default 2
 */
public record LrnConfig(Integer size, Float alpha, Float beta, Float bias) {
    public LrnConfig {
        size = LayerConfigs.atLeast(size, "size", 1, 5);
        alpha = LayerConfigs.nonNegative(alpha, "alpha", 1e-4f);
        beta = LayerConfigs.nonNegative(beta, "beta", 0.75f);
        bias = LayerConfigs.positive(bias, "bias", 2f);
    }
}
