package org.modelbench.engine.config;

import java.util.List;

/**
 * A 2-D convolution (cross-correlation, as in Keras and ONNX) on CHW inputs, with optional groups
 * (depthwise when {@code groups == channels}). The kernel tensor is
 * {@code [filters, channels / groups, kernelH, kernelW]}. Output size per axis:
 * {@code floor((in + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1}.
 *
 * @param filters     output channels, {@code >= 1} (required), divisible by {@code groups}
 * @param kernel      {@code k} or {@code [kh, kw]} (required); normalised to {@code [kh, kw]}
 * @param stride      {@code s} or {@code [sh, sw]}, default 1
 * @param padding     see {@link Padding}; default {@code valid}; normalised to its spec form
 * @param dilation    {@code d} or {@code [dh, dw]}, default 1
 * @param groups      channel groups, default 1; input channels must be divisible by it
 * @param activation  fused output function, default {@code linear}
 * @param useBias     default true
 * @param l2          L2 penalty on the kernel, default 0
 * @param initializer kernel initialisation, default {@code glorot-uniform}
 */
public record Conv2DConfig(Integer filters, Object kernel, Object stride, Object padding, Object dilation,
                           Integer groups, Activation activation, Boolean useBias, Float l2,
                           Initializer initializer) {
    public Conv2DConfig {
        filters = LayerConfigs.atLeast(filters, "filters", 1, null);
        IntPair k = IntPair.parse(kernel, "kernel", 1, null);
        kernel = List.of(k.h(), k.w());
        IntPair s = IntPair.parse(stride, "stride", 1, new IntPair(1, 1));
        stride = List.of(s.h(), s.w());
        padding = Padding.parse(padding, "padding").toSpec();
        IntPair d = IntPair.parse(dilation, "dilation", 1, new IntPair(1, 1));
        dilation = List.of(d.h(), d.w());
        groups = LayerConfigs.groups(groups, filters);
        activation = activation == null ? Activation.LINEAR : activation;
        useBias = useBias == null || useBias;
        l2 = LayerConfigs.nonNegative(l2, "l2", 0f);
        initializer = initializer == null ? Initializer.GLOROT_UNIFORM : initializer;
    }

    /** A convolution with stride 1, no dilation, one group, bias and Glorot initialisation. */
    public static Conv2DConfig of(int filters, int kernel, Padding padding, Activation activation) {
        return new Conv2DConfig(filters, kernel, 1, padding.toSpec(), 1, 1, activation, true, 0f, null);
    }

    public IntPair kernelSize() {
        return IntPair.parse(kernel, "kernel", 1, null);
    }

    public IntPair strides() {
        return IntPair.parse(stride, "stride", 1, null);
    }

    public IntPair dilations() {
        return IntPair.parse(dilation, "dilation", 1, null);
    }

    public Padding paddingRule() {
        return Padding.parse(padding, "padding");
    }
}
