package org.modelbench.engine.internal;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.engine.config.BatchNormConfig;
import org.modelbench.engine.config.Conv1DConfig;
import org.modelbench.engine.config.Conv2DConfig;
import org.modelbench.engine.config.DenseConfig;
import org.modelbench.engine.config.DropoutConfig;
import org.modelbench.engine.config.LeakyReluConfig;
import org.modelbench.engine.config.LrnConfig;
import org.modelbench.engine.config.NoConfig;
import org.modelbench.engine.config.Pool1DConfig;
import org.modelbench.engine.config.Pool2DConfig;
import org.modelbench.testkit.LayerContract;

/**
 * The testkit's layer contract for every single-input engine layer type. ({@code add} and
 * {@code concat} take several inputs, outside the contract; {@code MergeLayer}'s own tests cover
 * them.)
 */
class EngineLayerContractsTest {

    @Nested
    class Dense extends LayerContract<DenseConfig> {
        @Override
        protected LayerProvider<DenseConfig> provider() {
            return new LayerProviders.Dense();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("units", 4, "activation", "tanh");
        }

        @Override
        protected Shape inputShape() {
            return Shape.of(6);
        }
    }

    @Nested
    class Conv2D extends LayerContract<Conv2DConfig> {
        @Override
        protected LayerProvider<Conv2DConfig> provider() {
            return new LayerProviders.Conv2D();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("filters", 3, "kernel", 3, "padding", "same", "activation", "sigmoid");
        }
    }

    @Nested
    class GroupedStridedConv2D extends LayerContract<Conv2DConfig> {
        @Override
        protected LayerProvider<Conv2DConfig> provider() {
            return new LayerProviders.Conv2D();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("filters", 4, "kernel", 2, "stride", 2, "dilation", 1, "groups", 2);
        }

        @Override
        protected Shape inputShape() {
            return Shape.of(2, 6, 6);
        }
    }

    @Nested
    class MaxPool2D extends LayerContract<Pool2DConfig> {
        @Override
        protected LayerProvider<Pool2DConfig> provider() {
            return new LayerProviders.MaxPool2D();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("pool", 2);
        }

        @Override
        protected Shape inputShape() {
            return Shape.of(2, 4, 4);
        }

        @Override
        protected double step() {
            return 1e-3;
        }
    }

    @Nested
    class AvgPool2D extends LayerContract<Pool2DConfig> {
        @Override
        protected LayerProvider<Pool2DConfig> provider() {
            return new LayerProviders.AvgPool2D();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("pool", 3, "stride", 2, "padding", "same");
        }
    }

    @Nested
    class Conv1D extends LayerContract<Conv1DConfig> {
        @Override
        protected LayerProvider<Conv1DConfig> provider() {
            return new LayerProviders.Conv1D();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("filters", 4, "kernel", 3, "padding", "same", "dilation", 2, "groups", 2);
        }

        @Override
        protected Shape inputShape() {
            return Shape.of(2, 9);
        }
    }

    @Nested
    class MaxPool1D extends LayerContract<Pool1DConfig> {
        @Override
        protected LayerProvider<Pool1DConfig> provider() {
            return new LayerProviders.MaxPool1D();
        }

        @Override
        protected Shape inputShape() {
            return Shape.of(2, 8);
        }

        @Override
        protected double step() {
            return 1e-3;
        }
    }

    @Nested
    class AvgPool1D extends LayerContract<Pool1DConfig> {
        @Override
        protected LayerProvider<Pool1DConfig> provider() {
            return new LayerProviders.AvgPool1D();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("pool", 3, "stride", 2);
        }

        @Override
        protected Shape inputShape() {
            return Shape.of(2, 9);
        }
    }

    @Nested
    class GlobalAvgPool extends LayerContract<NoConfig> {
        @Override
        protected LayerProvider<NoConfig> provider() {
            return new LayerProviders.GlobalAvgPool();
        }
    }

    @Nested
    class Flatten extends LayerContract<NoConfig> {
        @Override
        protected LayerProvider<NoConfig> provider() {
            return new LayerProviders.Flatten();
        }
    }

    @Nested
    class Dropout extends LayerContract<DropoutConfig> {
        @Override
        protected LayerProvider<DropoutConfig> provider() {
            return new LayerProviders.Dropout();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("rate", 0.4);
        }
    }

    @Nested
    class Relu extends LayerContract<NoConfig> {
        @Override
        protected LayerProvider<NoConfig> provider() {
            return new LayerProviders.Relu();
        }
    }

    @Nested
    class LeakyRelu extends LayerContract<LeakyReluConfig> {
        @Override
        protected LayerProvider<LeakyReluConfig> provider() {
            return new LayerProviders.LeakyRelu();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("alpha", 0.2);
        }
    }

    @Nested
    class Sigmoid extends LayerContract<NoConfig> {
        @Override
        protected LayerProvider<NoConfig> provider() {
            return new LayerProviders.Sigmoid();
        }
    }

    @Nested
    class Tanh extends LayerContract<NoConfig> {
        @Override
        protected LayerProvider<NoConfig> provider() {
            return new LayerProviders.Tanh();
        }
    }

    @Nested
    class Softmax extends LayerContract<NoConfig> {
        @Override
        protected LayerProvider<NoConfig> provider() {
            return new LayerProviders.Softmax();
        }

        @Override
        protected Shape inputShape() {
            return Shape.of(7);
        }
    }

    @Nested
    class BatchNorm extends LayerContract<BatchNormConfig> {
        @Override
        protected LayerProvider<BatchNormConfig> provider() {
            return new LayerProviders.BatchNorm();
        }
    }

    @Nested
    class Lrn extends LayerContract<LrnConfig> {
        @Override
        protected LayerProvider<LrnConfig> provider() {
            return new LayerProviders.Lrn();
        }

        @Override
        protected Map<String, Object> spec() {
            return Map.of("size", 3);
        }

        @Override
        protected Shape inputShape() {
            return Shape.of(4, 3, 3);
        }
    }
}
