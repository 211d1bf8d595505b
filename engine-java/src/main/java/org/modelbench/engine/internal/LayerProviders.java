package org.modelbench.engine.internal;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Layer;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.engine.config.Activation;
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

/** The engine's layer types, one provider each; ids are the manifest {@code type}s. */
public final class LayerProviders {
    private LayerProviders() {
    }

    /** Every built-in provider, in a stable order. */
    public static List<LayerProvider<?>> all() {
        return List.of(new Dense(), new Conv2D(), new MaxPool2D(), new AvgPool2D(), new Conv1D(), new MaxPool1D(),
                new AvgPool1D(), new GlobalAvgPool(),
                new Flatten(), new Dropout(), new Relu(), new LeakyRelu(), new Sigmoid(), new Tanh(), new Softmax(),
                new BatchNorm(), new Lrn(), new Add(), new Concat());
    }

    /**
     * A provider whose layers hold tensors: it tells, from the config and input shape alone, how many
     * floats a layer would allocate for its parameters and state (what the weights file stores for
     * it), so a saved model or a manifest can be checked against a size before anything is created.
     */
    public interface Sized<C extends Record> {
        /** The number of floats in the layer's parameters and state tensors. */
        long storedFloats(C config, Shape inputShape);
    }

    /** A provider defined by its id, config type and a factory; the output shape comes from cheap geometry. */
    abstract static class Base<C extends Record> implements LayerProvider<C> {
        private final String id;
        private final Class<C> configType;
        private final String description;

        Base(String id, Class<C> configType, String description) {
            this.id = id;
            this.configType = configType;
            this.description = description;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public Class<C> configType() {
            return configType;
        }
    }

    /** Shape-preserving layers without parameters. */
    abstract static class Elementwise<C extends Record> extends Base<C> {
        private final BiFunction<C, Shape, Layer> factory;

        Elementwise(String id, Class<C> type, String description, BiFunction<C, Shape, Layer> factory) {
            super(id, type, description);
            this.factory = factory;
        }

        @Override
        public Shape outputShape(C config, Shape inputShape) {
            return inputShape;
        }

        @Override
        public Layer create(C config, Shape inputShape, long seed) {
            return factory.apply(config, inputShape);
        }
    }

    static Shape requireFlat(Shape input, String what) {
        if (input.rank() != 1) {
            throw new InvalidInputException(what + " needs a flat input, got " + input + " (add a flatten layer)");
        }
        return input;
    }

    public static final class Dense extends Base<DenseConfig> implements Sized<DenseConfig> {
        public Dense() {
            super("dense", DenseConfig.class, "fully connected layer y = act(xW + b)");
        }

        @Override
        public Shape outputShape(DenseConfig config, Shape inputShape) {
            requireFlat(inputShape, "dense");
            return Shape.of(config.units());
        }

        @Override
        public long storedFloats(DenseConfig config, Shape inputShape) {
            long units = config.units();
            return Math.multiplyExact(requireFlat(inputShape, "dense").size(), units) + (config.useBias() ? units : 0);
        }

        @Override
        public Layer create(DenseConfig config, Shape inputShape, long seed) {
            return new DenseLayer(config, requireFlat(inputShape, "dense"), seed);
        }
    }

    public static final class Conv2D extends Base<Conv2DConfig> implements Sized<Conv2DConfig> {
        public Conv2D() {
            super("conv2d", Conv2DConfig.class, "2-D convolution with stride, padding, dilation and groups");
        }

        static WindowGeometry geometry(Conv2DConfig config, Shape inputShape) {
            WindowGeometry g = WindowGeometry.of(inputShape, "kernel", config.kernelSize(), config.strides(),
                    config.dilations(), config.paddingRule());
            if (g.channels() % config.groups() != 0) {
                throw new InvalidInputException("input channels (" + g.channels() + ") must be divisible by groups ("
                        + config.groups() + ")");
            }
            return g;
        }

        @Override
        public Shape outputShape(Conv2DConfig config, Shape inputShape) {
            WindowGeometry g = geometry(config, inputShape);
            return Shape.of(config.filters(), g.outH(), g.outW());
        }

        @Override
        public long storedFloats(Conv2DConfig config, Shape inputShape) {
            WindowGeometry g = geometry(config, inputShape);
            long filters = config.filters();
            long kernel = Math.multiplyExact(Math.multiplyExact(filters, (long) g.channels() / config.groups()),
                    (long) g.kh() * g.kw());
            return kernel + (config.useBias() ? filters : 0);
        }

        @Override
        public Layer create(Conv2DConfig config, Shape inputShape, long seed) {
            return new Conv2DLayer(config, geometry(config, inputShape), inputShape, seed);
        }
    }

    abstract static class Pool extends Base<Pool2DConfig> {
        private final boolean max;

        Pool(String id, boolean max) {
            super(id, Pool2DConfig.class, (max ? "max" : "average") + " pooling over windows of each channel");
            this.max = max;
        }

        static WindowGeometry geometry(Pool2DConfig config, Shape inputShape) {
            return WindowGeometry.of(inputShape, "pool window", config.poolSize(), config.strides(),
                    new org.modelbench.engine.config.IntPair(1, 1), config.paddingRule());
        }

        @Override
        public Shape outputShape(Pool2DConfig config, Shape inputShape) {
            WindowGeometry g = geometry(config, inputShape);
            return Shape.of(g.channels(), g.outH(), g.outW());
        }

        @Override
        public Layer create(Pool2DConfig config, Shape inputShape, long seed) {
            return new Pool2DLayer(max, geometry(config, inputShape), inputShape);
        }
    }

    public static final class MaxPool2D extends Pool {
        public MaxPool2D() {
            super("maxpool2d", true);
        }
    }

    public static final class AvgPool2D extends Pool {
        public AvgPool2D() {
            super("avgpool2d", false);
        }
    }

    /** {@code conv1d}: see {@link Conv1DConfig} for the shape contract. */
    public static final class Conv1D extends Base<Conv1DConfig> {
        public Conv1D() {
            super("conv1d", Conv1DConfig.class, "1-D convolution over [channels, length] with stride, padding, "
                    + "dilation and groups");
        }

        static WindowGeometry geometry(Conv1DConfig config, Shape inputShape) {
            WindowGeometry g = WindowGeometry.ofSequence(inputShape, "kernel", config.kernel(), config.stride(),
                    config.dilation(), config.paddingRule());
            if (g.channels() % config.groups() != 0) {
                throw new InvalidInputException("input channels (" + g.channels() + ") must be divisible by groups ("
                        + config.groups() + ")");
            }
            return g;
        }

        @Override
        public Shape outputShape(Conv1DConfig config, Shape inputShape) {
            return Shape.of(config.filters(), geometry(config, inputShape).outW());
        }

        @Override
        public Layer create(Conv1DConfig config, Shape inputShape, long seed) {
            return Conv2DLayer.conv1d(config, geometry(config, inputShape), inputShape, seed);
        }
    }

    /** 1-d pooling: see {@link Pool1DConfig} for the shape contract. */
    abstract static class Pool1D extends Base<Pool1DConfig> {
        private final boolean max;

        Pool1D(String id, boolean max) {
            super(id, Pool1DConfig.class, (max ? "max" : "average") + " pooling along the length of each channel");
            this.max = max;
        }

        static WindowGeometry geometry(Pool1DConfig config, Shape inputShape) {
            return WindowGeometry.ofSequence(inputShape, "pool window", config.pool(), config.stride(), 1,
                    config.paddingRule());
        }

        @Override
        public Shape outputShape(Pool1DConfig config, Shape inputShape) {
            WindowGeometry g = geometry(config, inputShape);
            return Shape.of(g.channels(), g.outW());
        }

        @Override
        public Layer create(Pool1DConfig config, Shape inputShape, long seed) {
            return Pool2DLayer.pool1d(max, geometry(config, inputShape), inputShape);
        }
    }

    public static final class MaxPool1D extends Pool1D {
        public MaxPool1D() {
            super("maxpool1d", true);
        }
    }

    public static final class AvgPool1D extends Pool1D {
        public AvgPool1D() {
            super("avgpool1d", false);
        }
    }

    /** {@code global-avgpool}: {@code [C, H, W]} or {@code [C, L]} (any {@code [C, ...]}) to {@code [C]}. */
    public static final class GlobalAvgPool extends Base<NoConfig> {
        public GlobalAvgPool() {
            super("global-avgpool", NoConfig.class, "mean of each channel: [C, H, W] or [C, L] to [C]");
        }

        @Override
        public Shape outputShape(NoConfig config, Shape inputShape) {
            if (inputShape.rank() < 2) {
                throw new InvalidInputException("global-avgpool needs a channels x height x width or channels x length "
                        + "input, got " + inputShape);
            }
            return Shape.of(inputShape.dim(0));
        }

        @Override
        public Layer create(NoConfig config, Shape inputShape, long seed) {
            outputShape(config, inputShape);
            return new ReshapingLayers.GlobalAvgPool(inputShape);
        }
    }

    public static final class Flatten extends Base<NoConfig> {
        public Flatten() {
            super("flatten", NoConfig.class, "flattens each sample to a vector");
        }

        @Override
        public Shape outputShape(NoConfig config, Shape inputShape) {
            return Shape.of(inputShape.size());
        }

        @Override
        public Layer create(NoConfig config, Shape inputShape, long seed) {
            return new ReshapingLayers.Flatten(inputShape);
        }
    }

    public static final class Dropout extends Elementwise<DropoutConfig> {
        public Dropout() {
            super("dropout", DropoutConfig.class, "inverted dropout (training only)",
                    (c, s) -> new DropoutLayer(c.rate(), s));
        }
    }

    static <C extends Record> BiFunction<C, Shape, Layer> activation(Activation a, Function<C, Float> alpha) {
        return (c, s) -> new ActivationLayer(a, alpha.apply(c), s);
    }

    public static final class Relu extends Elementwise<NoConfig> {
        public Relu() {
            super("relu", NoConfig.class, "max(x, 0)", activation(Activation.RELU, c -> 0f));
        }
    }

    public static final class LeakyRelu extends Elementwise<LeakyReluConfig> {
        public LeakyRelu() {
            super("leaky-relu", LeakyReluConfig.class, "x if x > 0 else alpha x",
                    activation(Activation.LEAKY_RELU, LeakyReluConfig::alpha));
        }
    }

    public static final class Sigmoid extends Elementwise<NoConfig> {
        public Sigmoid() {
            super("sigmoid", NoConfig.class, "1 / (1 + exp(-x))", activation(Activation.SIGMOID, c -> 0f));
        }
    }

    public static final class Tanh extends Elementwise<NoConfig> {
        public Tanh() {
            super("tanh", NoConfig.class, "hyperbolic tangent", activation(Activation.TANH, c -> 0f));
        }
    }

    public static final class Softmax extends Elementwise<NoConfig> {
        public Softmax() {
            super("softmax", NoConfig.class, "softmax over each sample", activation(Activation.SOFTMAX, c -> 0f));
        }
    }

    public static final class BatchNorm extends Elementwise<BatchNormConfig> implements Sized<BatchNormConfig> {
        public BatchNorm() {
            super("batchnorm", BatchNormConfig.class, "batch normalisation per channel", BatchNormLayer::new);
        }

        /** Gamma, beta, moving mean and moving variance: four floats per channel. */
        @Override
        public long storedFloats(BatchNormConfig config, Shape inputShape) {
            return 4L * inputShape.dim(0);
        }
    }

    public static final class Lrn extends Elementwise<LrnConfig> {
        public Lrn() {
            super("lrn", LrnConfig.class, "local response normalisation across channels", LrnLayer::new);
        }
    }

    /** Providers of layers with several inputs; {@link #create} alone cannot build them. */
    public abstract static class Merge extends Base<NoConfig> {
        private final boolean add;

        Merge(String id, boolean add, String description) {
            super(id, NoConfig.class, description);
            this.add = add;
        }

        /** The merge layer for these inputs. */
        public Layer createMerge(List<Shape> inputShapes) {
            return MergeLayer.of(add, inputShapes);
        }

        @Override
        public Shape outputShape(NoConfig config, Shape inputShape) {
            throw new InvalidInputException(id() + " needs at least 2 inputs; use it in a graph");
        }

        @Override
        public Layer create(NoConfig config, Shape inputShape, long seed) {
            throw new InvalidInputException(id() + " needs at least 2 inputs; use it in a graph");
        }
    }

    public static final class Add extends Merge {
        public Add() {
            super("add", true, "element-wise sum of equal-shaped inputs (residual connections)");
        }
    }

    public static final class Concat extends Merge {
        public Concat() {
            super("concat", false, "concatenation along the channel axis");
        }
    }
}
