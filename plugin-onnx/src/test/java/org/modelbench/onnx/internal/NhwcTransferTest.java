package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.onnx.OnnxTransferFamilyProvider;
import org.modelbench.onnx.config.TransferConfig;

/** Transfer learning from a tf2onnx-layout (NHWC) base with standalone BatchNormalization and residual adds. */
class NhwcTransferTest {
    @TempDir
    Path dir;

    private TransferConfig config(Path file, String engine, Map<String, Object> fineTune) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("base", Map.of("file", file.toString(), "cutAt", "avg_pool/Mean", "engine", engine,
                "preprocessing", Map.of("resize", List.of(16, 16), "greyToRgb", true, "scale", 1.0 / 255,
                        "layout", "nhwc")));
        tree.put("head", List.of(Map.of("type", "flatten"), Map.of("type", "dense", "units", 2, "activation", "softmax")));
        tree.put("epochs", 5);
        tree.put("batchSize", 16);
        if (fineTune != null) {
            tree.put("fineTune", fineTune);
        }
        return RecordBinder.bind(tree, TransferConfig.class, "params");
    }

    @Test
    void ortAndNativeFeaturesTrainTheSameHeadAndFineTuningReachesOnlyTheLastBlock() throws Exception {
        Path file = dir.resolve("resnet.onnx");
        Files.write(file, KerasArchitectures.resnetBlocks(16, 10, 6).toByteArray());
        Dataset train = TransferLearningTest.images(48, 5);
        var family = new OnnxTransferFamilyProvider();
        Model nativeModel = family.trainer(config(file, "native", null), ProviderContext.discover()).train(train, Optional.empty(),
                new RunContext(3, 1, List.of(), dir.resolve("a")));
        Model ortModel = family.trainer(config(file, "ort", null), ProviderContext.discover()).train(train, Optional.empty(),
                new RunContext(3, 1, List.of(), dir.resolve("b")));
        float[] pn = nativeModel.predictProbabilities(train.features()).data();
        float[] po = ortModel.predictProbabilities(train.features()).data();
        double maxDiff = 0;
        for (int i = 0; i < pn.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(pn[i] - po[i]));
        }
        assertTrue(maxDiff < 1e-3, "heads trained on ORT and native features differ by " + maxDiff);

        Model tuned = family.trainer(config(file, "native", Map.of("unfreezeFrom", "conv2_block2_3", "learningRate", 0.01,
                "epochs", 1)), ProviderContext.discover()).train(train, Optional.empty(), new RunContext(3, 1, List.of(), dir.resolve("c")));
        String trainable = tuned.provenance().details().get("trainableBaseLayers");
        assertEquals("conv2_block2_3_conv/Conv2D, conv2_block2_3_bn/FusedBatchNormV3", trainable);
        assertArrayEquals(TransferLearningTest.initializer(nativeModel, "conv2_block2_2_conv/Conv2D/kernel"),
                TransferLearningTest.initializer(tuned, "conv2_block2_2_conv/Conv2D/kernel"));
        assertFalse(java.util.Arrays.equals(TransferLearningTest.initializer(nativeModel, "conv2_block2_3_conv/Conv2D/kernel"),
                TransferLearningTest.initializer(tuned, "conv2_block2_3_conv/Conv2D/kernel")));
        // The unfrozen BatchNormalization trained with batch statistics and updated its moving mean.
        assertFalse(java.util.Arrays.equals(TransferLearningTest.initializer(nativeModel, "conv2_block2_3_bn/FusedBatchNormV3/moving_mean"),
                TransferLearningTest.initializer(tuned, "conv2_block2_3_bn/FusedBatchNormV3/moving_mean")));
        // A frozen one kept its statistics.
        assertArrayEquals(TransferLearningTest.initializer(nativeModel, "conv2_block2_2_bn/FusedBatchNormV3/moving_mean"),
                TransferLearningTest.initializer(tuned, "conv2_block2_2_bn/FusedBatchNormV3/moving_mean"));
    }
}
