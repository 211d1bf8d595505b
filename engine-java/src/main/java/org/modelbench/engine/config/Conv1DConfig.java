package org.modelbench.engine.config;

/**
 * A 1-d convolution (cross-correlation, as in Keras' Conv1D and ONNX Conv on {@code [N, C, L]}) on
 * {@code [channels, length]} samples, with optional groups (depthwise when {@code groups == channels}).
 * The kernel tensor is {@code [filters, channels / groups, kernel]}; the output is
 * {@code [filters, outLength]} with
 * {@code outLength = floor((length + padLeft + padRight - dilation * (kernel - 1) - 1) / stride) + 1}
 * ({@code ceil(length / stride)} for {@code same}).
 *
 * @param filters     output channels, {@code >= 1} (required), divisible by {@code groups}
 * @param kernel      taps, {@code >= 1} (required)
 * @param stride      default 1
 * @param padding     {@code valid} (default), {@code same} (TensorFlow's rule: an odd padding cell goes
 *                    to the right), an integer (both sides) or {@code [left, right]}; normalised to
 *                    {@code valid}, {@code same} or {@code [left, right]}
 * @param dilation    default 1
 * @param groups      channel groups, default 1; input channels must be divisible by it
 * @param activation  fused output function, default {@code linear}
 * @param useBias     default true
 * @param l2          L2 penalty on the kernel, default 0
 * @param initializer kernel initialisation, default {@code glorot-uniform}
 */
public record Conv1DConfig(Integer filters, Integer kernel, Integer stride, Object padding, Integer dilation,
                           Integer groups, Activation activation, Boolean useBias, Float l2,
                           Initializer initializer) {
    public Conv1DConfig {
        filters = LayerConfigs.atLeast(filters, "filters", 1, null);
        kernel = LayerConfigs.atLeast(kernel, "kernel", 1, null);
        stride = LayerConfigs.atLeast(stride, "stride", 1, 1);
        padding = Padding.parseSequence(padding, "padding").toSequenceSpec();
        dilation = LayerConfigs.atLeast(dilation, "dilation", 1, 1);
        groups = LayerConfigs.groups(groups, filters);
        activation = activation == null ? Activation.LINEAR : activation;
        useBias = useBias == null || useBias;
        l2 = LayerConfigs.nonNegative(l2, "l2", 0f);
        initializer = initializer == null ? Initializer.GLOROT_UNIFORM : initializer;
    }

    /** A convolution with stride 1, no dilation, one group, bias and Glorot initialisation. */
    public static Conv1DConfig of(int filters, int kernel, Padding padding, Activation activation) {
        return new Conv1DConfig(filters, kernel, 1, padding.toSequenceSpec(), 1, 1, activation, true, 0f, null);
    }

    /** The padding rule (left and right cells when explicit). */
    public Padding paddingRule() {
        return Padding.parseSequence(padding, "padding");
    }
}
