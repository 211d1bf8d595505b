package org.modelbench.onnx.config;

import org.modelbench.api.ConfigException;

/**
 * Makes the base model instead of reading it: trains the {@code seed-cnn} architecture (Keras'
 * mnist_cnn: conv 32 - conv 64 - max pool - dropout - flatten - dense 128 - dropout - dense) with
 * the engine on {@code dataset} (pixels divided by 255, Adam), exports it to ONNX and uses that
 * file as the base, like a downloaded pretrained model: it depends on this config alone (its own
 * {@code seed}, not the trial's), and is cached as {@code onnx-pretrain/seed-cnn-<hash>.onnx} in
 * the data cache folder ({@code $MODELBENCH_DATA} or {@code ~/.modelbench/data}).
 *
 * @param dataset   a dataset id known to the loaded dataset providers, default {@code mnist}
 * @param samples   training rows used (the first ones of the train split), default 10000
 * @param epochs    default 1
 * @param batchSize default 128
 * @param seed      the pretraining seed, default 1
 */
public record PretrainConfig(String dataset, Integer samples, Integer epochs, Integer batchSize, Long seed) {
    public PretrainConfig {
        seed = seed == null ? 1L : seed;
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
