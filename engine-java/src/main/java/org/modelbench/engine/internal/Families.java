package org.modelbench.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Shape;
import org.modelbench.api.Trainer;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.engine.config.Cnn1DConfig;
import org.modelbench.engine.config.CnnConfig;
import org.modelbench.engine.config.LogRegConfig;
import org.modelbench.engine.config.MlpConfig;
import org.modelbench.engine.config.PresetConfig;
import org.modelbench.engine.graph.Network;

/** The engine's model families, one provider each. */
public final class Families {
    private Families() {
    }

    private static List<Map<String, Object>> flattenIfNeeded(Shape sampleShape) {
        List<Map<String, Object>> layers = new ArrayList<>();
        if (sampleShape.rank() != 1) {
            layers.add(EngineFamily.spec("flatten"));
        }
        return layers;
    }

    /** {@code logreg}: multinomial logistic regression. */
    public static final class LogReg extends EngineFamily<LogRegConfig> {
        public LogReg() {
            super("logreg", LogRegConfig.class, "multinomial logistic regression (softmax of a linear map)");
        }

        @Override
        List<Map<String, Object>> layers(LogRegConfig c, Shape sampleShape, int numClasses) {
            List<Map<String, Object>> layers = flattenIfNeeded(sampleShape);
            layers.add(EngineFamily.spec("dense", "units", numClasses, "activation", "softmax", "l2", c.l2()));
            return layers;
        }
    }

    /** {@code mlp}: a multi-layer perceptron. */
    public static final class Mlp extends EngineFamily<MlpConfig> {
        public Mlp() {
            super("mlp", MlpConfig.class, "multi-layer perceptron with optional dropout and L2");
        }

        @Override
        List<Map<String, Object>> layers(MlpConfig c, Shape sampleShape, int numClasses) {
            List<Map<String, Object>> layers = flattenIfNeeded(sampleShape);
            for (int h : c.hidden()) {
                layers.add(EngineFamily.spec("dense", "units", h, "activation", c.activation().specName(), "l2", c.l2(),
                        "initializer", c.initializer().name()));
                if (c.dropout() > 0) {
                    layers.add(EngineFamily.spec("dropout", "rate", c.dropout()));
                }
            }
            layers.add(EngineFamily.spec("dense", "units", numClasses, "activation", "softmax", "l2", c.l2(),
                    "initializer", c.initializer().name()));
            return layers;
        }
    }

    /** {@code cnn}: any sequential layer list. */
    public static final class Cnn extends EngineFamily<CnnConfig> {
        public Cnn() {
            super("cnn", CnnConfig.class, "any sequential network given as a list of layer specs");
        }

        @Override
        List<Map<String, Object>> layers(CnnConfig c, Shape sampleShape, int numClasses) {
            return c.layers();
        }

        /** Checks every layer spec's type and params first, so a manifest check catches them. */
        @Override
        public Trainer trainer(CnnConfig config, ProviderContext context) {
            for (int i = 0; i < config.layers().size(); i++) {
                Network.checkSpec(config.layers().get(i), "layers[" + i + "]", context.catalogue());
            }
            return super.trainer(config, context);
        }
    }

    /** A fixed image architecture ({@code [C, H, W]} samples) whose output layer has one unit per class. */
    abstract static class Preset extends EngineFamily<PresetConfig> {
        Preset(String id, String description) {
            super(id, PresetConfig.class, description);
        }

        @Override
        int sampleRank() {
            return 3;
        }

        static Map<String, Object> conv(int filters, int kernel, int stride, String padding, float l2) {
            return EngineFamily.spec("conv2d", "filters", filters, "kernel", kernel, "stride", stride, "padding", padding,
                    "activation", "relu", "l2", l2);
        }

        static Map<String, Object> dense(int units, String activation, float l2) {
            return EngineFamily.spec("dense", "units", units, "activation", activation, "l2", l2);
        }

        static Map<String, Object> pool(String type, int size, int stride) {
            return EngineFamily.spec(type, "pool", size, "stride", stride);
        }
    }

    /**
     * {@code cnn1d}: a 1-d CNN for time series on {@code [C, L]} samples (see {@link Cnn1DConfig}):
     * per block {@code conv1d(f, k, same, relu) - maxpool1d(p)}, then {@code global-avgpool -
     * [dropout] - dense(classes, softmax)}; with the defaults conv1d(32, 5) - pool(2) - conv1d(64, 5) -
     * pool(2).
     */
    public static final class Cnn1d extends EngineFamily<Cnn1DConfig> {
        public Cnn1d() {
            super("cnn1d", Cnn1DConfig.class, "1-d CNN for time series: conv1d-relu-maxpool blocks, global average "
                    + "pooling, dense");
        }

        @Override
        int sampleRank() {
            return 2;
        }

        @Override
        List<Map<String, Object>> layers(Cnn1DConfig c, Shape sampleShape, int numClasses) {
            List<Map<String, Object>> layers = new ArrayList<>();
            for (int f : c.filters()) {
                layers.add(EngineFamily.spec("conv1d", "filters", f, "kernel", c.kernel(), "padding", "same",
                        "activation", "relu", "l2", c.l2()));
                layers.add(EngineFamily.spec("maxpool1d", "pool", c.pool()));
            }
            layers.add(EngineFamily.spec("global-avgpool"));
            if (c.dropout() > 0) {
                layers.add(EngineFamily.spec("dropout", "rate", c.dropout()));
            }
            layers.add(EngineFamily.spec("dense", "units", numClasses, "activation", "softmax", "l2", c.l2()));
            return layers;
        }
    }

    /**
     * {@code seed-cnn}: Keras' mnist_cnn, conv(32, 3x3, relu) - conv(64, 3x3, relu) - maxpool(2x2) -
     * dropout(0.25) - flatten - dense(128, relu) - dropout(0.5) - dense(classes, softmax).
     */
    public static final class SeedCnn extends Preset {
        public SeedCnn() {
            super("seed-cnn", "Keras' mnist_cnn: two 3x3 convolutions, max pooling, dropout, dense 128");
        }

        @Override
        List<Map<String, Object>> layers(PresetConfig c, Shape s, int k) {
            return List.of(conv(32, 3, 1, "valid", c.l2()), conv(64, 3, 1, "valid", c.l2()), pool("maxpool2d", 2, 2),
                    EngineFamily.spec("dropout", "rate", 0.25), EngineFamily.spec("flatten"),
                    dense(128, "relu", c.l2()), EngineFamily.spec("dropout", "rate", 0.5), dense(k, "softmax", c.l2()));
        }
    }

    /**
     * {@code lenet5}: LeCun et al. 1998 in its common modern form: conv(6, 5x5, same, tanh) -
     * avgpool(2) - conv(16, 5x5, tanh) - avgpool(2) - flatten - dense(120, tanh) - dense(84, tanh) -
     * dense(classes, softmax).
     */
    public static final class Lenet5 extends Preset {
        public Lenet5() {
            super("lenet5", "LeNet-5 with tanh and average pooling");
        }

        @Override
        List<Map<String, Object>> layers(PresetConfig c, Shape s, int k) {
            return List.of(
                    EngineFamily.spec("conv2d", "filters", 6, "kernel", 5, "padding", "same", "activation", "tanh",
                            "l2", c.l2()),
                    pool("avgpool2d", 2, 2),
                    EngineFamily.spec("conv2d", "filters", 16, "kernel", 5, "activation", "tanh", "l2", c.l2()),
                    pool("avgpool2d", 2, 2), EngineFamily.spec("flatten"),
                    dense(120, "tanh", c.l2()), dense(84, "tanh", c.l2()), dense(k, "softmax", c.l2()));
        }
    }

    /**
     * {@code alexnet}: Krizhevsky et al. 2012 (single tower, for 3x227x227 inputs): conv(96, 11x11,
     * stride 4) - LRN - maxpool(3, 2) - conv(256, 5x5, same) - LRN - maxpool(3, 2) - conv(384, 3x3) -
     * conv(384, 3x3) - conv(256, 3x3) - maxpool(3, 2) - dense(4096) - dropout - dense(4096) - dropout -
     * dense(classes, softmax). 62,378,344 parameters with 1000 classes.
     */
    public static final class AlexNet extends Preset {
        public AlexNet() {
            super("alexnet", "AlexNet (single tower, LRN), for 227x227 RGB inputs");
        }

        @Override
        List<Map<String, Object>> layers(PresetConfig c, Shape s, int k) {
            return List.of(conv(96, 11, 4, "valid", c.l2()), EngineFamily.spec("lrn"), pool("maxpool2d", 3, 2),
                    conv(256, 5, 1, "same", c.l2()), EngineFamily.spec("lrn"), pool("maxpool2d", 3, 2),
                    conv(384, 3, 1, "same", c.l2()), conv(384, 3, 1, "same", c.l2()), conv(256, 3, 1, "same", c.l2()),
                    pool("maxpool2d", 3, 2), EngineFamily.spec("flatten"),
                    dense(4096, "relu", c.l2()), EngineFamily.spec("dropout", "rate", 0.5),
                    dense(4096, "relu", c.l2()), EngineFamily.spec("dropout", "rate", 0.5), dense(k, "softmax", c.l2()));
        }
    }

    /**
     * {@code vgg16}: Simonyan and Zisserman 2014, configuration D with its dense top: 13 3x3 same
     * convolutions in blocks of 2, 2, 3, 3, 3 (64 to 512 filters) each followed by maxpool(2), then
     * dense(4096) - dense(4096) - dense(classes, softmax). 138,357,544 parameters at 3x224x224 with
     * 1000 classes.
     */
    public static final class Vgg16 extends Preset {
        public Vgg16() {
            super("vgg16", "VGG-16 (configuration D) with its dense top, for 224x224 RGB inputs");
        }

        @Override
        List<Map<String, Object>> layers(PresetConfig c, Shape s, int k) {
            List<Map<String, Object>> layers = new ArrayList<>();
            int[][] blocks = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};
            for (int[] block : blocks) {
                for (int i = 0; i < block[1]; i++) {
                    layers.add(conv(block[0], 3, 1, "same", c.l2()));
                }
                layers.add(pool("maxpool2d", 2, 2));
            }
            layers.add(EngineFamily.spec("flatten"));
            layers.add(dense(4096, "relu", c.l2()));
            layers.add(dense(4096, "relu", c.l2()));
            layers.add(dense(k, "softmax", c.l2()));
            return layers;
        }
    }
}
