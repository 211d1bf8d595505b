package org.modelbench.onnx.config;

import org.modelbench.api.ConfigException;

/**
 * Makes the base model instead of reading it: trains the {@code seed-cnn} architecture (Keras'
 * mnist_cnn: conv 32 - conv 64 - max pool - dropout - flatten - dense 128 - dropout - dense) with
 * the engine on {@code dataset}, exports it to ONNX and uses that file as the base. The export is
 * cached in the run's work folder under a key of this config and the run seed.
 *
 * @param dataset   a dataset id known to the loaded dataset providers, default {@code mnist}
 * @param samples   training rows used (the first ones of the train split), default 10000
 * @param epochs    default 1
 * @param batchSize default 128
 */
public record PretrainConfig(String dataset, Integer samples, Integer epochs, Integer batchSize) {
    public PretrainConfig {
        dataset = dataset == null ? "mnist" : dataset;
        samples = samples == null ? 10_000 : samples;
        epochs = epochs == null ? 1 : epochs;
        batchSize = batchSize == null ? 128 : batchSize;
        if (samples < 1 || epochs < 1 || batchSize < 1) {
            throw new ConfigException(samples < 1 ? "samples" : epochs < 1 ? "epochs" : "batchSize",
                    "expected an integer >= 1");
        }
    }
}
