package org.modelbench.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.engine.graph.Network;
import org.modelbench.onnx.config.OnnxConfig;
import org.modelbench.onnx.config.TransferConfig;
import org.modelbench.onnx.export.OnnxExport;
import org.modelbench.testkit.ModelFamilyContract;

/**
 * The testkit's family contract for {@code onnx} (a frozen classifier run by ONNX Runtime) and
 * {@code onnx-transfer} (an imported base with an engine head), on a small convolutional network
 * exported to ONNX for the contract's 1x4x4 samples in 3 classes.
 */
class OnnxContractsTest {
    @TempDir
    static Path dir;
    static Path classifier;

    @BeforeAll
    static void exportANetwork() throws Exception {
        Network net = Network.builder("small", Shape.of(1, 4, 4), 5)
                .add(Map.of("type", "conv2d", "name", "conv", "filters", 4, "kernel", 3, "activation", "relu"), "l0")
                .add(Map.of("type", "flatten", "name", "flat"), "l1")
                .add(Map.of("type", "dense", "name", "top", "units", 3, "activation", "softmax"), "l2")
                .build();
        classifier = dir.resolve("small.onnx");
        AtomicFiles.write(classifier, OnnxExport.toOnnx(net));
        assert Files.size(classifier) > 0;
    }

    @Nested
    class OnnxRuntime extends ModelFamilyContract<OnnxConfig> {
        @Override
        protected ModelFamilyProvider<OnnxConfig> provider() {
            return new OnnxRuntimeFamilyProvider();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("file", classifier.toString());
        }

        @Override
        protected boolean learns() {
            return false;
        }
    }

    @Nested
    class OnnxTransfer extends ModelFamilyContract<TransferConfig> {
        @Override
        protected ModelFamilyProvider<TransferConfig> provider() {
            return new OnnxTransferFamilyProvider();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("base", Map.of("file", classifier.toString(), "cutAt", "flat"),
                    "head", List.of(Map.of("type", "dense", "units", 3, "activation", "softmax")),
                    "epochs", 10, "batchSize", 16, "optimizer", Map.of("type", "adam", "learningRate", 0.01),
                    "cacheFeatures", false);
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(new InvalidParams(Map.of("head", List.of(Map.of("type", "dense", "units", 0))),
                    "head[0].units"));
        }
    }
}
