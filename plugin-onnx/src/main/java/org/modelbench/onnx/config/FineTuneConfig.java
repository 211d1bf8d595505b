package org.modelbench.onnx.config;

import org.modelbench.api.ConfigException;

/**
 * Fine-tuning after the head has trained: the last {@code unfreezeLast} layers of the base (layers
 * are the nodes that own parameters, counted from the cut point backwards; or every layer from the
 * first node whose name contains {@code unfreezeFrom}) become trainable and the whole network
 * trains again with its own learning rate. Frozen BatchNormalization nodes keep using their moving
 * statistics, and L2 applies only to trainable parameters.
 *
 * @param unfreezeLast number of base layers to unfreeze, default 1
 * @param unfreezeFrom a node-name fragment; when set it overrides {@code unfreezeLast}
 * @param learningRate the fine-tuning learning rate, default 1e-4
 * @param epochs       default 1
 * @param l2           L2 penalty on the unfrozen base kernels, default 0
 */
public record FineTuneConfig(Integer unfreezeLast, String unfreezeFrom, Float learningRate, Integer epochs, Float l2) {
    public FineTuneConfig {
        unfreezeLast = unfreezeLast == null ? 1 : unfreezeLast;
        if (unfreezeLast < 1) {
            throw new ConfigException("unfreezeLast", "expected an integer >= 1, got " + unfreezeLast);
        }
        learningRate = learningRate == null ? 1e-4f : learningRate;
        if (!(learningRate > 0)) {
            throw new ConfigException("learningRate", "expected a number > 0, got " + learningRate);
        }
        epochs = epochs == null ? 1 : epochs;
        if (epochs < 1) {
            throw new ConfigException("epochs", "expected an integer >= 1, got " + epochs);
        }
        l2 = l2 == null ? 0f : l2;
        if (!(l2 >= 0)) {
            throw new ConfigException("l2", "expected a number >= 0, got " + l2);
        }
    }
}
