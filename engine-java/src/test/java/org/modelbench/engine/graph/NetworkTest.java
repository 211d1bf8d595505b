package org.modelbench.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.modelbench.api.ConfigException;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.engine.config.Activation;
import org.modelbench.engine.config.Conv2DConfig;
import org.modelbench.engine.config.DenseConfig;
import org.modelbench.engine.config.NoConfig;
import org.modelbench.engine.config.OptimizerConfig;
import org.modelbench.engine.config.Padding;
import org.modelbench.engine.config.TrainingSettings;

class NetworkTest {

    /** conv -> (conv, identity) -> add -> concat with the block input -> global pool -> dense. */
    static Network residual(long seed) {
        Network.Builder b = Network.builder("residual", Shape.of(2, 5, 5), seed);
        b.add("stem", "conv2d", Conv2DConfig.of(3, 3, Padding.SAME, Activation.TANH));
        b.add("branch", "conv2d", Conv2DConfig.of(3, 3, Padding.SAME, Activation.LINEAR), "stem");
        b.add("sum", "add", new NoConfig(), "stem", "branch");
        b.add("cat", "concat", new NoConfig(), "sum", Network.INPUT);
        b.add("pool", "global-avgpool", new NoConfig());
        b.add("out", "dense", DenseConfig.of(4, Activation.SOFTMAX));
        return b.build();
    }

    static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[shape.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(shape, a);
    }

    @Test
    void aShapeCheckerGivesTheBuildersShapesWithoutLayers() {
        List<Map<String, Object>> specs = List.of(
                Map.of("type", "conv2d", "filters", 6, "kernel", 5, "padding", "same"),
                Map.of("type", "maxpool2d", "pool", 2),
                Map.of("type", "conv2d", "filters", 4, "kernel", 3, "name", "a"),
                Map.of("type", "conv2d", "filters", 4, "kernel", 3, "padding", "same", "inputs", List.of("a")),
                Map.of("type", "add", "inputs", List.of("a", "conv2d_2")),
                Map.of("type", "flatten"),
                Map.of("type", "dense", "units", 3));
        Network.Builder built = Network.builder("n", Shape.of(1, 12, 12), 1);
        Network.Builder checked = Network.shapeChecker("n", Shape.of(1, 12, 12), ProviderCatalogue.empty());
        for (int i = 0; i < specs.size(); i++) {
            built.add(specs.get(i), "layers[" + i + "]");
            checked.add(specs.get(i), "layers[" + i + "]");
            assertEquals(built.outputShape(), checked.outputShape(), "after layer " + i);
        }
        assertEquals(Shape.of(3), checked.outputShape());
        assertThrows(IllegalStateException.class, checked::build);
        Network.Builder small = Network.shapeChecker("n", Shape.of(1, 4, 4), ProviderCatalogue.empty());
        small.add(specs.get(0), "layers[0]");
        small.add(specs.get(1), "layers[1]");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> small.add(specs.get(2), "layers[2]"));
        assertTrue(e.getMessage().contains("layer 3 (conv2d)") && e.getMessage().contains("larger than its 2x2 input"),
                e.getMessage());
    }

    @Test
    void layerSpecsAreCheckedWithoutBuildingNamingTheKey() {
        Network.checkSpec(Map.of("type", "conv2d", "filters", 8, "kernel", 3), "layers[0]", ProviderCatalogue.empty());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> Network.checkSpec(Map.of("type", "no-such-layer"), "layers[1]", ProviderCatalogue.empty()));
        assertEquals("layers[1].type", unknown.key());
        assertTrue(unknown.expectation().contains("unknown layer type") && unknown.expectation().contains("conv2d"),
                unknown.expectation());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> Network.checkSpec(Map.of("type", "dense", "units", 0), "layers[2]", ProviderCatalogue.empty()));
        assertEquals("layers[2].units", bad.key());
    }

    @Test
    void graphInputGradientMatchesFiniteDifferences() {
        Network net = residual(1);
        assertEquals(Shape.of(5, 5, 5), net.layer("cat").outputShape());
        Tensor x = random(Shape.of(2, 2, 5, 5), 2);
        LayerContext c = new LayerContext(true, 0, 2);
        Tensor y = net.forward(x, c);
        float[] r = random(y.shape(), 3).data();
        Tensor dx = net.backward(Tensor.of(y.shape(), r.clone()), c);
        assertEquals(net.output("sum").shape(), net.gradient("sum").shape());
        double eps = 1e-3;
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < x.data().length; i++) {
            float old = x.data()[i];
            x.data()[i] = (float) (old + eps);
            double up = dot(net.forward(x, c).data(), r);
            x.data()[i] = (float) (old - eps);
            double down = dot(net.forward(x, c).data(), r);
            x.data()[i] = old;
            double numeric = (up - down) / (2 * eps);
            diff += (numeric - dx.data()[i]) * (numeric - dx.data()[i]);
            norm += numeric * numeric;
        }
        assertTrue(Math.sqrt(diff / norm) < 1e-2, "relative error " + Math.sqrt(diff / norm));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static Dataset toyData(int n, long seed) {
        Tensor x = random(Shape.of(n, 2, 5, 5), seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float s = 0;
            for (int j = 0; j < 50; j++) {
                s += x.data()[i * 50 + j] * (j % 3 - 1);
            }
            labels[i] = s > 1 ? 0 : s > 0 ? 1 : s > -1 ? 2 : 3;
        }
        return new Dataset("toy", x, labels, List.of("a", "b", "c", "d"), Map.of());
    }

    @Test
    void frozenLayersKeepTheirWeightsAndTrainingLearns() {
        Network net = residual(4);
        net.setTrainable("stem", false);
        float[] stem = net.layer("stem").parameters().get(0).value().data().clone();
        float[] out = net.layer("out").parameters().get(0).value().data().clone();
        Dataset data = toyData(256, 5);
        NetworkTrainer trainer = new NetworkTrainer(new TrainingSettings(15, 32,
                OptimizerConfig.of(OptimizerConfig.Type.ADAM, 0.01f), null, null, null));
        double before = trainer.evaluate(net, data, 1)[0];
        TrainingHistory h = trainer.fit(net, data, Optional.empty(), RunContext.of(1).withThreads(1));
        assertArrayEquals(stem, net.layer("stem").parameters().get(0).value().data());
        assertNotEquals(out[0], net.layer("out").parameters().get(0).value().data()[0]);
        assertTrue(h.epochs().get(14).trainLoss() < 0.9 * before, before + " -> " + h.epochs().get(14).trainLoss());
        assertEquals(0L, net.summary().rows().get(0).trainable() ? 1L : 0L);
    }

    @Test
    void everyOptimizerReducesTheLoss() {
        for (OptimizerConfig.Type type : OptimizerConfig.Type.values()) {
            for (boolean nesterov : new boolean[] {false, true}) {
                Network net = residual(6);
                Dataset data = toyData(128, 7);
                OptimizerConfig opt = new OptimizerConfig(type, null, type == OptimizerConfig.Type.ADAM ? null : 0.9f,
                        nesterov, null, null, null, null);
                NetworkTrainer trainer = new NetworkTrainer(new TrainingSettings(8, 16, opt, null, null, null));
                double before = trainer.evaluate(net, data, 1)[0];
                double after = trainer.fit(net, data, Optional.empty(), RunContext.of(2).withThreads(1))
                        .epochs().get(7).trainLoss();
                assertTrue(after < before, type + ": " + before + " -> " + after);
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalWeightsForOneAndTwoThreads() {
        Dataset data = toyData(200, 8);
        float[][] weights = new float[2][];
        for (int t = 1; t <= 2; t++) {
            Network net = Network.builder("det", Shape.of(2, 5, 5), 9)
                    .add(null, "conv2d", Conv2DConfig.of(16, 3, Padding.SAME, Activation.RELU))
                    .add(null, "conv2d", Conv2DConfig.of(16, 3, Padding.VALID, Activation.RELU))
                    .add(null, "maxpool2d", org.modelbench.engine.config.Pool2DConfig.of(2, 1))
                    .add(null, "dropout", new org.modelbench.engine.config.DropoutConfig(0.3f))
                    .add(null, "batchnorm", new org.modelbench.engine.config.BatchNormConfig(null, null))
                    .add(null, "flatten", new NoConfig())
                    .add(null, "dense", DenseConfig.of(4, Activation.SOFTMAX))
                    .build();
            new NetworkTrainer(new TrainingSettings(2, 64, null, null, null, null))
                    .fit(net, data, Optional.empty(), RunContext.of(10).withThreads(t));
            int size = (int) net.parameterCount();
            weights[t - 1] = new float[size];
            int at = 0;
            for (Parameter p : net.parameters()) {
                System.arraycopy(p.value().data(), 0, weights[t - 1], at, p.size());
                at += p.size();
            }
        }
        assertArrayEquals(weights[0], weights[1]);
    }

    @Test
    void trainingBackwardWithoutTheInputGradientGivesTheSameParameterGradients() {
        Network conv = Network.builder("conv-first", Shape.of(2, 7, 7), 3)
                .add(null, "conv2d", Conv2DConfig.of(5, 3, Padding.VALID, Activation.RELU))
                .add(null, "flatten", new NoConfig())
                .add(null, "dense", DenseConfig.of(3, Activation.SOFTMAX))
                .build();
        Network dense = Network.builder("dense-first", Shape.of(6), 4)
                .add(null, "dense", DenseConfig.of(5, Activation.TANH))
                .add(null, "dense", DenseConfig.of(3, Activation.SOFTMAX))
                .build();
        for (Network net : List.of(conv, dense)) {
            Tensor x = random(net.inputShape().withBatch(11), 5);
            Tensor g = random(Shape.of(11, 3), 6);
            float[][] grads = new float[2][];
            for (int pass = 0; pass < 2; pass++) {
                for (Parameter p : net.parameters()) {
                    java.util.Arrays.fill(p.gradient().data(), 0f);
                }
                LayerContext c = new LayerContext(true, 1, 2);
                net.forward(x, c);
                Tensor dx = net.backward(g, c, true, pass == 0);
                assertEquals(pass == 0, dx != null, net.name() + ": input gradient only when asked for");
                grads[pass] = net.parameters().stream().map(p -> p.gradient().data().clone())
                        .reduce(new float[0], NetworkTest::concat);
            }
            assertArrayEquals(grads[0], grads[1], net.name());
            assertTrue(grads[0].length > 0 && java.util.stream.IntStream.range(0, grads[0].length)
                    .anyMatch(i -> grads[0][i] != 0f), net.name() + ": the gradients are not all zero");
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void shapeMismatchesAreReported() {
        Network net = residual(1);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> net.forward(Tensor.zeros(Shape.of(1, 3, 5, 5)), LayerContext.inference()));
        assertTrue(e.getMessage().contains("expects batches of 2x5x5"), e.getMessage());
        Network.Builder b = Network.builder("bad", Shape.of(2, 5, 5), 1);
        b.add("a", "conv2d", Conv2DConfig.of(3, 3, Padding.VALID, Activation.RELU));
        InvalidInputException add = assertThrows(InvalidInputException.class,
                () -> b.add("sum", "add", new NoConfig(), "a", Network.INPUT));
        assertTrue(add.getMessage().startsWith("model bad, layer 2 (add): add needs equal input shapes"), add.getMessage());
    }
}
