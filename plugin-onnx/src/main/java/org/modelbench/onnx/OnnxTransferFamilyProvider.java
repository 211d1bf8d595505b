package org.modelbench.onnx;

import java.nio.file.Path;
import org.modelbench.api.DataShape;
import org.modelbench.api.Model;
import org.modelbench.api.Trainer;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.engine.graph.Network;
import org.modelbench.onnx.config.TransferConfig;
import org.modelbench.onnx.internal.BaseModelFiles;
import org.modelbench.onnx.internal.TransferLearning;

/**
 * {@code onnx-transfer}: transfer learning from an ONNX base (for example a Keras application
 * exported with tf2onnx, or a network pretrained by this platform): the base is imported into the
 * native engine, cut and frozen, its features are cached, an engine head trains on them, and the
 * last base layers can then be fine-tuned with their own learning rate.
 */
public final class OnnxTransferFamilyProvider implements ModelFamilyProvider<TransferConfig> {

    @Override
    public String id() {
        return TransferLearning.FAMILY;
    }

    @Override
    public String description() {
        return "an imported ONNX base (cut, frozen, features cached) with an engine head; optional fine-tuning";
    }

    @Override
    public Class<TransferConfig> configType() {
        return TransferConfig.class;
    }

    @Override
    public Trainer trainer(TransferConfig config, ProviderContext providers) {
        // the head's layer specs are checked here, so that a manifest check catches their mistakes
        for (int i = 0; i < config.head().size(); i++) {
            Network.checkSpec(config.head().get(i), "head[" + i + "]", providers.catalogue());
        }
        return (train, validation, context) -> TransferLearning.train(config, train, validation, context, version(),
                providers.catalogue(), providers.memoryBudgetBytes());
    }

    /** The base model file, when the manifest names one, is checked to be ONNX (top-level fields only). */
    @Override
    public void check(TransferConfig config, DataShape data, ProviderContext context) {
        if (config.base().file() != null && !config.base().file().isBlank()) {
            BaseModelFiles.check(config.base().file());
        }
    }

    @Override
    public Model load(Path directory, ProviderContext context) {
        return TransferLearning.load(directory, version());
    }
}
