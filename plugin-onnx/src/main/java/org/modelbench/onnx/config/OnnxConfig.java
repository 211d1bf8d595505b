package org.modelbench.onnx.config;

import org.modelbench.api.ConfigException;

/**
 * The {@code onnx} family: a classifier ONNX file run frozen by ONNX Runtime (CPU). Its output (the
 * graph output, or the value at {@code cutAt}) must have one value per class; it is used as
 * probabilities when the producing node is a Softmax, else as logits (a softmax is applied).
 *
 * @param file          the .onnx file (required)
 * @param cutAt         a node name or value name whose output to use instead of the graph output
 * @param preprocessing how images become model inputs; default none, NCHW
 */
public record OnnxConfig(String file, String cutAt, PreprocessingConfig preprocessing) {
    public OnnxConfig {
        if (file == null || file.isBlank()) {
            throw new ConfigException("file", "missing; expected the path of an .onnx file");
        }
        preprocessing = preprocessing == null ? PreprocessingConfig.none() : preprocessing;
    }
}
