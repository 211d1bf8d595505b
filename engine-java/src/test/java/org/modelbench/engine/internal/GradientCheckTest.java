package org.modelbench.engine.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.modelbench.api.Layer;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.engine.config.NoConfig;

/**
 * Central finite differences against every backward pass: the loss is {@code sum(output * R)} for a
 * fixed random {@code R}, accumulated in double; the error measure is
 * {@code ||analytic - numeric|| / (||analytic|| + ||numeric||)} over the input gradient and over each
 * parameter gradient.
 */
class GradientCheckTest {
    private static final double EPS = 1e-3;
    private static final double TOLERANCE = 1e-3;

    static Layer layer(String type, Map<String, Object> spec, Shape input) {
        LayerProvider<?> p = LayerRegistry.builtIn().find(type);
        Record config = RecordBinder.bind(spec, p.configType(), type);
        return p.createUnchecked(config, input, 42);
    }

    static Tensor random(Shape shape, long seed, boolean awayFromZero) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[shape.size()];
        for (int i = 0; i < a.length; i++) {
            double v = r.nextDouble(-1, 1);
            if (awayFromZero) {
                v = Math.copySign(0.1 + 0.9 * Math.abs(v), v);
            }
            a[i] = (float) v;
        }
        return Tensor.of(shape, a);
    }

    static double objective(Layer layer, Tensor x, float[] r, LayerContext c) {
        float[] y = layer.forward(x, c).data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * r[i];
        }
        return s;
    }

    static void check(Layer layer, int batch, boolean awayFromZero) {
        LayerContext c = new LayerContext(true, 7, 2);
        Tensor x = random(layer.inputShape().withBatch(batch), 1, awayFromZero);
        for (Parameter p : layer.parameters()) {
            Tensor noise = random(p.value().shape(), 3 + p.name().hashCode(), false);
            for (int i = 0; i < p.size(); i++) {
                p.value().data()[i] += 0.5f * noise.data()[i];
            }
        }
        Tensor out = layer.forward(x, c);
        float[] r = random(out.shape(), 2, false).data();
        for (Parameter p : layer.parameters()) {
            java.util.Arrays.fill(p.gradient().data(), 0f);
        }
        Tensor dx = layer.backward(Tensor.of(out.shape(), r.clone()), c);
        assertClose(layer.type() + " input", dx.data(), numeric(layer, x, x.data(), r, c));
        for (Parameter p : layer.parameters()) {
            assertClose(layer.type() + " " + p.name(), p.gradient().data(), numeric(layer, x, p.value().data(), r, c));
        }
    }

    static double[] numeric(Layer layer, Tensor x, float[] target, float[] r, LayerContext c) {
        double[] g = new double[target.length];
        for (int i = 0; i < target.length; i++) {
            float old = target[i];
            target[i] = (float) (old + EPS);
            double up = objective(layer, x, r, c);
            target[i] = (float) (old - EPS);
            double down = objective(layer, x, r, c);
            target[i] = old;
            g[i] = (up - down) / (2 * EPS);
        }
        return g;
    }

    static void assertClose(String what, float[] analytic, double[] numeric) {
        double diff = 0;
        double a = 0;
        double n = 0;
        for (int i = 0; i < numeric.length; i++) {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            a += (double) analytic[i] * analytic[i];
            n += numeric[i] * numeric[i];
        }
        double rel = Math.sqrt(diff) / (Math.sqrt(a) + Math.sqrt(n) + 1e-12);
        assertTrue(rel < TOLERANCE, what + ": relative error " + rel);
        assertTrue(a > 0, what + ": gradient is all zero");
    }

    @Test
    void dense() {
        check(layer("dense", Map.of("units", 4, "l2", 0.1), Shape.of(5)), 3, false);
        check(layer("dense", Map.of("units", 3, "activation", "tanh"), Shape.of(4)), 2, false);
        check(layer("dense", Map.of("units", 3, "activation", "softmax"), Shape.of(4)), 2, false);
    }

    @Test
    void conv2dValidSameStrideDilationGroups() {
        check(layer("conv2d", Map.of("filters", 3, "kernel", 3), Shape.of(2, 5, 5)), 2, false);
        check(layer("conv2d", Map.of("filters", 2, "kernel", List.of(3, 2), "stride", 2, "padding", "same"),
                Shape.of(2, 6, 5)), 2, false);
        check(layer("conv2d", Map.of("filters", 2, "kernel", 2, "dilation", 2, "padding", List.of(1, 0, 2, 1)),
                Shape.of(1, 5, 6)), 2, false);
        check(layer("conv2d", Map.of("filters", 4, "kernel", 3, "groups", 2, "padding", "same",
                "activation", "sigmoid"), Shape.of(4, 4, 4)), 2, false);
        check(layer("conv2d", Map.of("filters", 3, "kernel", 3, "groups", 3, "stride", List.of(1, 2)),
                Shape.of(3, 5, 6)), 1, false);
        // stride 1 without padding: training unfolds in full input rows (dilated, grouped, 1x1, linear)
        check(layer("conv2d", Map.of("filters", 4, "kernel", List.of(3, 2), "dilation", 2, "groups", 2,
                "activation", "linear"), Shape.of(4, 7, 8)), 2, true);
        check(layer("conv2d", Map.of("filters", 2, "kernel", 1), Shape.of(3, 4, 5)), 2, false);
    }

    @Test
    void pooling() {
        check(layer("maxpool2d", Map.of("pool", 2), Shape.of(2, 4, 4)), 2, false);
        check(layer("maxpool2d", Map.of("pool", 2), Shape.of(2, 5, 4)), 2, false); // a row outside the windows
        check(layer("maxpool2d", Map.of("pool", 3, "stride", 2, "padding", "same"), Shape.of(2, 5, 5)), 2, false);
        check(layer("avgpool2d", Map.of("pool", 3, "stride", 1), Shape.of(2, 4, 5)), 2, false);
        check(layer("avgpool2d", Map.of("pool", List.of(2, 3), "stride", 2, "padding", "same"), Shape.of(1, 5, 5)),
                2, false);
        check(layer("global-avgpool", Map.of(), Shape.of(3, 2, 3)), 2, false);
    }

    @Test
    void conv1dValidSameStrideDilationGroups() {
        check(layer("conv1d", Map.of("filters", 3, "kernel", 3), Shape.of(2, 9)), 2, false);
        check(layer("conv1d", Map.of("filters", 2, "kernel", 4, "stride", 2, "padding", "same"), Shape.of(3, 11)), 2,
                false);
        check(layer("conv1d", Map.of("filters", 2, "kernel", 3, "dilation", 2, "padding", List.of(2, 1),
                "activation", "tanh"), Shape.of(1, 7)), 3, false);
        check(layer("conv1d", Map.of("filters", 4, "kernel", 3, "groups", 2, "stride", 3, "padding", 1,
                "activation", "relu", "l2", 0.1), Shape.of(4, 10)), 2, true);
        check(layer("conv1d", Map.of("filters", 3, "kernel", 2, "groups", 3, "useBias", false,
                "activation", "softmax"), Shape.of(3, 5)), 2, false);
        check(layer("conv1d", Map.of("filters", 4, "kernel", 3, "groups", 2, "dilation", 2, "activation", "relu",
                "useBias", false), Shape.of(4, 12)), 2, true);
    }

    @Test
    void pooling1d() {
        check(layer("maxpool1d", Map.of("pool", 2), Shape.of(2, 8)), 2, false);
        check(layer("maxpool1d", Map.of("pool", 3, "stride", 2, "padding", "same"), Shape.of(2, 7)), 2, false);
        check(layer("avgpool1d", Map.of("pool", 3, "stride", 1), Shape.of(3, 6)), 2, false);
        check(layer("avgpool1d", Map.of("pool", 4, "stride", 2, "padding", List.of(1, 2)), Shape.of(1, 9)), 2, false);
        check(layer("global-avgpool", Map.of(), Shape.of(3, 7)), 2, false);
        check(layer("batchnorm", Map.of(), Shape.of(3, 5)), 4, false);
    }

    @Test
    void sequenceShapesFollowTheDocumentedFormula() {
        // outLength = floor((L + padLeft + padRight - d (k - 1) - 1) / s) + 1; same: ceil(L / s)
        org.junit.jupiter.api.Assertions.assertEquals(Shape.of(5, 4), layer("conv1d",
                Map.of("filters", 5, "kernel", 3, "stride", 2, "dilation", 2, "padding", List.of(1, 0)),
                Shape.of(2, 11)).outputShape());
        org.junit.jupiter.api.Assertions.assertEquals(Shape.of(5, 4), layer("conv1d",
                Map.of("filters", 5, "kernel", 7, "stride", 3, "padding", "same"), Shape.of(2, 11)).outputShape());
        org.junit.jupiter.api.Assertions.assertEquals(Shape.of(2, 3), layer("maxpool1d", Map.of("pool", 3),
                Shape.of(2, 11)).outputShape());
        org.modelbench.api.InvalidInputException tooLong = org.junit.jupiter.api.Assertions.assertThrows(
                org.modelbench.api.InvalidInputException.class,
                () -> layer("conv1d", Map.of("filters", 1, "kernel", 4, "dilation", 3), Shape.of(2, 9)));
        org.junit.jupiter.api.Assertions.assertEquals("kernel 4 (dilated to 10) is longer than its input of length 9",
                tooLong.getMessage());
        org.modelbench.api.InvalidInputException flat = org.junit.jupiter.api.Assertions.assertThrows(
                org.modelbench.api.InvalidInputException.class,
                () -> layer("maxpool1d", Map.of(), Shape.of(9)));
        assertTrue(flat.getMessage().startsWith("expected a channels x length input, got 9"), flat.getMessage());
        org.modelbench.api.ConfigException badPadding = org.junit.jupiter.api.Assertions.assertThrows(
                org.modelbench.api.ConfigException.class, () -> layer("conv1d", Map.of("filters", 1, "kernel", 2,
                        "padding", List.of(1, 2, 3, 4)), Shape.of(2, 9)));
        assertTrue(badPadding.getMessage().contains("[left, right]"), badPadding.getMessage());
    }

    @Test
    void activations() {
        Shape s = Shape.of(6);
        check(layer("relu", Map.of(), s), 3, true);
        check(layer("leaky-relu", Map.of("alpha", 0.2), s), 3, true);
        check(layer("sigmoid", Map.of(), s), 3, false);
        check(layer("tanh", Map.of(), s), 3, false);
        check(layer("softmax", Map.of(), s), 3, false);
        check(layer("flatten", Map.of(), Shape.of(2, 2, 2)), 2, false);
        check(layer("dropout", Map.of("rate", 0.5), s), 4, false);
    }

    @Test
    void normalisations() {
        check(layer("batchnorm", Map.of(), Shape.of(3, 2, 2)), 4, false);
        check(layer("batchnorm", Map.of(), Shape.of(5)), 6, false);
        check(layer("lrn", Map.of("size", 3, "alpha", 0.5, "beta", 0.75, "bias", 1.0), Shape.of(5, 2, 2)), 2, false);
    }

    @Test
    void merges() {
        Layer add = MergeLayer.of(true, List.of(Shape.of(2, 2), Shape.of(2, 2)));
        Layer concat = MergeLayer.of(false, List.of(Shape.of(1, 2), Shape.of(2, 2)));
        LayerContext c = new LayerContext(true, 0, 1);
        var m = (org.modelbench.engine.graph.MultiInputLayer) concat;
        Tensor a = random(Shape.of(2, 1, 2), 5, false);
        Tensor b = random(Shape.of(2, 2, 2), 6, false);
        Tensor y = m.forwardAll(List.of(a, b), c);
        float[] r = random(y.shape(), 7, false).data();
        List<Tensor> g = m.backwardAll(Tensor.of(y.shape(), r), c);
        // the gradient of sum(y * r) with respect to each input is r's matching slice
        assertTrue(g.get(0).data()[0] == r[0] && g.get(1).data()[0] == r[2] && g.get(0).data()[2] == r[6]);
        assertTrue(add.outputShape().equals(Shape.of(2, 2)) && concat.outputShape().equals(Shape.of(3, 2)));
    }

    @Test
    void losses() {
        int k = 4;
        int[] labels = {1, 3, 0};
        float[] z = random(Shape.of(3, k), 9, false).data();
        Function<float[], Double> ce = v -> Losses.crossEntropyFromLogits(v, labels, k, new float[v.length]);
        Function<float[], Double> mse = v -> Losses.mse(v, labels, k, new float[v.length]);
        float[] g = new float[z.length];
        Losses.crossEntropyFromLogits(z, labels, k, g);
        assertClose("cross-entropy", g, numericLoss(ce, z));
        Losses.mse(z, labels, k, g);
        assertClose("mse", g, numericLoss(mse, z));
        float[] huge = {1000f, -1000f, 0f, 0f};
        double stable = Losses.crossEntropyFromLogits(huge, new int[] {1}, k, new float[4]);
        assertTrue(Math.abs(stable - 2000) < 1e-3, "log-sum-exp keeps large logits finite: " + stable);
    }

    private static double[] numericLoss(Function<float[], Double> f, float[] v) {
        double[] g = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            v[i] = (float) (old + EPS);
            double up = f.apply(v);
            v[i] = (float) (old - EPS);
            double down = f.apply(v);
            v[i] = old;
            g[i] = (up - down) / (2 * EPS);
        }
        return g;
    }

    @Test
    void noConfigLayersBindEmptySpecs() {
        assertTrue(RecordBinder.bind(Map.of(), NoConfig.class, "x") != null);
    }
}
