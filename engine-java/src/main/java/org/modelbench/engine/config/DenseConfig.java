package org.modelbench.engine.config;

/**
 * A fully connected layer {@code y = act(x W + b)} on flat inputs; {@code W} is {@code in x units}.
 *
 * @param units       output size, {@code >= 1} (required)
 * @param activation  fused output function, default {@code linear}
 * @param useBias     whether to add a bias, default true
 * @param l2          L2 penalty on the kernel ({@code l2 * sum(W^2)} joins the loss), default 0
 * @param initializer kernel initialisation, default {@code glorot-uniform}
 */
public record DenseConfig(Integer units, Activation activation, Boolean useBias, Float l2, Initializer initializer) {
    public DenseConfig {
        units = LayerConfigs.atLeast(units, "units", 1, null);
        activation = activation == null ? Activation.LINEAR : activation;
        useBias = useBias == null || useBias;
        l2 = LayerConfigs.nonNegative(l2, "l2", 0f);
        initializer = initializer == null ? Initializer.GLOROT_UNIFORM : initializer;
    }

    /** A dense layer with bias, no L2 and Glorot initialisation. */
    public static DenseConfig of(int units, Activation activation) {
        return new DenseConfig(units, activation, true, 0f, null);
    }
}
