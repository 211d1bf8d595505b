package org.modelbench.engine.config;

/**
 * Weight initialisation of dense and conv2d kernels (biases start at zero).
 * {@code glorot-uniform} draws from {@code U(-l, l)}, {@code l = sqrt(6 / (fanIn + fanOut))} (Keras'
 * default); {@code he-uniform} uses {@code l = sqrt(6 / fanIn)}; {@code he-normal} draws from a
 * normal with standard deviation {@code sqrt(2 / fanIn)} truncated at two deviations.
 */
public enum Initializer {
    GLOROT_UNIFORM, HE_UNIFORM, HE_NORMAL
}
