package org.modelbench.onnx.internal.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The variables a Keras layer owns, in the order Keras saves them (a Keras 3 {@code .keras} file
 * stores them by index only: {@code layers/<class>/vars/0, 1, ...}), named as the TensorFlow.js and
 * Keras 2 formats name them ({@code kernel}, {@code bias}, {@code depthwise_kernel}, ...).
 */
final class KerasVariables {
    private KerasVariables() {
    }

    /**
     * The variable names of {@code layer} as its config implies them ({@code use_bias}, {@code scale},
     * {@code center}); empty for the converter's layers without weights; null for a class the
     * converter does not know.
     */
    static List<String> of(KerasLayer layer) {
        JsonNode c = layer.config();
        List<String> v = new ArrayList<>();
        boolean bias = c.path("use_bias").asBoolean(true);
        switch (layer.className()) {
            case "Conv2D", "Dense" -> v.add("kernel");
            case "DepthwiseConv2D" -> v.add("depthwise_kernel");
            case "SeparableConv2D" -> {
                v.add("depthwise_kernel");
                v.add("pointwise_kernel");
            }
            case "BatchNormalization" -> {
                if (c.path("scale").asBoolean(true)) {
                    v.add("gamma");
                }
                if (c.path("center").asBoolean(true)) {
                    v.add("beta");
                }
                v.add("moving_mean");
                v.add("moving_variance");
                return v;
            }
            default -> {
                return KerasToOnnx.SUPPORTED.contains(layer.className()) ? v : null;
            }
        }
        if (bias) {
            v.add("bias");
        }
        return v;
    }

    /** Keras' {@code naming.to_snake_case} of a class name, e.g. {@code DepthwiseConv2D -> depthwise_conv2d}. */
    static String snakeCase(String className) {
        String s = className.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
