package org.modelbench.engine.config;

/**
 * Element-wise output functions of dense and conv2d layers (and the standalone activation layers).
 * {@code softmax} normalises over each sample's whole output; {@code leaky-relu} uses slope 0.3 for
 * negative inputs (Keras' default) when fused into another layer.
 */
public enum Activation {
    LINEAR, RELU, LEAKY_RELU, SIGMOID, TANH, SOFTMAX;

    /** The spec name, e.g. {@code leaky-relu}. */
    public String specName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
