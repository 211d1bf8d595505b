package org.modelbench.onnx.config;

import java.util.List;
import java.util.Map;
import org.modelbench.api.ConfigException;
import org.modelbench.engine.config.OptimizerConfig;

/**
 * The {@code onnx-transfer} family: an ONNX base imported into the native engine, cut and frozen,
 * with a head of engine layers. The frozen base's features are computed once and cached (keyed by
 * the hashes of the model, cut, preprocessing and data) so the head trains fast; then an optional
 * fine-tuning stage unfreezes the last base layers.
 *
 * @param base      the base model (required)
 * @param head      engine layer specs, e.g. {@code [{type: flatten}, {type: dense, units: 10, activation: softmax}]}
 *                  (required); the last layer must output one value per class
 * @param epochs    head-training epochs, default 10
 * @param batchSize default 64
 * @param optimizer head-training optimiser, default adam with the engine's default rate
 * @param fineTune  the fine-tuning stage, or null for none
 * @param cacheFeatures cache the frozen features on disk in the run's work folder, default true
 * @param maxMemoryMb the memory budget (MiB) from which the samples per pass of the base and of the
 *                    whole network are chosen; default the JVM's maximum heap
 */
public record TransferConfig(BaseConfig base, List<Map<String, Object>> head, Integer epochs, Integer batchSize,
                             OptimizerConfig optimizer, FineTuneConfig fineTune, Boolean cacheFeatures,
                             Integer maxMemoryMb) {
    public TransferConfig {
        if (base == null) {
            throw new ConfigException("base", "missing; expected {file, cutAt, frozen, preprocessing}");
        }
        if (head == null || head.isEmpty()) {
            throw new ConfigException("head", "missing; expected a list of engine layer specs");
        }
        head = List.copyOf(head);
        epochs = epochs == null ? 10 : epochs;
        batchSize = batchSize == null ? 64 : batchSize;
        if (epochs < 1 || batchSize < 1) {
            throw new ConfigException(epochs < 1 ? "epochs" : "batchSize", "expected an integer >= 1");
        }
        optimizer = optimizer == null ? OptimizerConfig.of(OptimizerConfig.Type.ADAM) : optimizer;
        cacheFeatures = cacheFeatures == null || cacheFeatures;
        if (maxMemoryMb != null && maxMemoryMb < 64) {
            throw new ConfigException("maxMemoryMb", "expected an integer >= 64 (MiB), got " + maxMemoryMb);
        }
    }
}
