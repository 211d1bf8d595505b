package org.modelbench.engine.internal;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.modelbench.api.Dataset;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.engine.config.Cnn1DConfig;
import org.modelbench.engine.config.CnnConfig;
import org.modelbench.engine.config.LogRegConfig;
import org.modelbench.engine.config.MlpConfig;
import org.modelbench.engine.config.PresetConfig;
import org.modelbench.testkit.ContractData;
import org.modelbench.testkit.ModelFamilyContract;

/**
 * The testkit's family contract for every engine family, on small data: the fixed ImageNet
 * architectures (alexnet, vgg16) on the smallest inputs their layers accept, one epoch.
 */
class EngineFamilyContractsTest {
    /** Adam with a learning rate that learns the contract's small data in a few epochs. */
    private static final Map<String, Object> FAST = Map.of("type", "adam", "learningRate", 0.01);

    private static Dataset images(int rows, int classes, Shape sample) {
        return ContractData.blobs(rows, classes, sample, 1);
    }

    @Nested
    class LogReg extends ModelFamilyContract<LogRegConfig> {
        @Override
        protected ModelFamilyProvider<LogRegConfig> provider() {
            return new Families.LogReg();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("epochs", 3, "batchSize", 16);
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(new InvalidParams(Map.of("l2", -1), "l2"), new InvalidParams(Map.of("epochs", 0), "epochs"),
                    new InvalidParams(Map.of("optimizer", Map.of("type", "nadam")), "optimizer.type"));
        }
    }

    @Nested
    class Mlp extends ModelFamilyContract<MlpConfig> {
        @Override
        protected ModelFamilyProvider<MlpConfig> provider() {
            return new Families.Mlp();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("hidden", List.of(8), "dropout", 0.1, "epochs", 8, "batchSize", 16,
                    "optimizer", FAST);
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(new InvalidParams(Map.of("hidden", List.of(8, 0)), "hidden[1]"));
        }
    }

    @Nested
    class Cnn extends ModelFamilyContract<CnnConfig> {
        @Override
        protected ModelFamilyProvider<CnnConfig> provider() {
            return new Families.Cnn();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("epochs", 8, "batchSize", 16, "optimizer", FAST, "layers", List.of(
                    Map.of("type", "conv2d", "filters", 4, "kernel", 3, "padding", "same", "activation", "relu"),
                    Map.of("type", "batchnorm"),
                    Map.of("type", "maxpool2d", "pool", 2),
                    Map.of("type", "flatten"),
                    Map.of("type", "dropout", "rate", 0.2),
                    Map.of("type", "dense", "units", 3, "activation", "softmax")));
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(
                    new InvalidParams(Map.of("layers", List.of(Map.of("type", "dense", "units", 0))), "layers[0].units"),
                    new InvalidParams(Map.of("layers", List.of(Map.of("type", "no-such-layer"))), "layers[0].type"));
        }
    }

    @Nested
    class Cnn1d extends ModelFamilyContract<Cnn1DConfig> {
        @Override
        protected ModelFamilyProvider<Cnn1DConfig> provider() {
            return new Families.Cnn1d();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("filters", List.of(4), "kernel", 3, "epochs", 10, "batchSize", 16, "optimizer", FAST);
        }

        /** Sequences: 2 channels of length 12. */
        @Override
        protected Dataset trainingData() {
            return images(60, 3, Shape.of(2, 12));
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(new InvalidParams(Map.of("kernel", 0), "kernel"));
        }
    }

    @Nested
    class SeedCnn extends ModelFamilyContract<PresetConfig> {
        @Override
        protected ModelFamilyProvider<PresetConfig> provider() {
            return new Families.SeedCnn();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("epochs", 3, "batchSize", 16);
        }

        @Override
        protected Dataset trainingData() {
            return images(60, 3, Shape.of(1, 8, 8));
        }
    }

    @Nested
    class Lenet5 extends ModelFamilyContract<PresetConfig> {
        @Override
        protected ModelFamilyProvider<PresetConfig> provider() {
            return new Families.Lenet5();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("epochs", 15, "batchSize", 16, "optimizer", FAST);
        }

        @Override
        protected Dataset trainingData() {
            return images(60, 3, Shape.of(1, 12, 12));
        }
    }

    @Nested
    class AlexNet extends ModelFamilyContract<PresetConfig> {
        @Override
        protected ModelFamilyProvider<PresetConfig> provider() {
            return new Families.AlexNet();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("epochs", 1, "batchSize", 12);
        }

        /** 67x67 is the smallest input whose last pooling still has a 1x1 output. */
        @Override
        protected Dataset trainingData() {
            return images(12, 2, Shape.of(3, 67, 67));
        }

        @Override
        protected boolean learns() {
            return false;
        }
    }

    @Nested
    class Vgg16 extends ModelFamilyContract<PresetConfig> {
        @Override
        protected ModelFamilyProvider<PresetConfig> provider() {
            return new Families.Vgg16();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("epochs", 1, "batchSize", 4);
        }

        /** 32x32 is the smallest input its five 2x2 poolings accept. */
        @Override
        protected Dataset trainingData() {
            return images(4, 2, Shape.of(3, 32, 32));
        }

        @Override
        protected boolean learns() {
            return false;
        }
    }
}
