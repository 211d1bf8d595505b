package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.f;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.i;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.ints;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.modelbench.api.Parameter;

/** Back-propagation of the native interpreter against central finite differences. */
class GradientCheckTest {

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }

    /** A graph touching every differentiable kernel the importer emits for Keras models. */
    private static NativeGraph graph(boolean batchStatistics) {
        SplittableRandom r = new SplittableRandom(1);
        OnnxGraphBuilder b = new OnnxGraphBuilder("grad", 13);
        String x = b.input("x", 2, 5, 5, 3);
        x = b.node("Transpose", "to_nchw", List.of(x), ints("perm", 0, 3, 1, 2));
        x = b.node("Conv", "conv", List.of(x, b.floats("w", new int[] {6, 1, 3, 3}, random(r, 54, 0.5)),
                b.floats("b", new int[] {6}, random(r, 6, 0.1))), i("group", 3), ints("pads", 1, 1, 1, 1));
        x = b.node("BatchNormalization", "bn", List.of(x, b.floats("gamma", new int[] {6}, random(r, 6, 0.3)),
                b.floats("beta", new int[] {6}, random(r, 6, 0.1)), b.floats("mean", new int[] {6}, random(r, 6, 0.1)),
                b.floats("var", new int[] {6}, new float[] {1, 1.5f, 0.7f, 1, 2, 0.9f})), f("epsilon", 1e-3f));
        x = b.node("Clip", "relu6", List.of(x, b.initializer("lo", Value.floats(new int[0], new float[] {-0.5f})),
                b.initializer("hi", Value.floats(new int[0], new float[] {0.8f}))));
        x = b.node("Pad", "pad", List.of(x, b.longs("pads", 0, 0, 1, 0, 0, 0, 0, 1)));
        String pooled = b.node("MaxPool", "pool", List.of(x), ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        String avg = b.node("AveragePool", "avg", List.of(x), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1));
        x = b.node("Add", "residual", List.of(pooled, avg));
        String mean = b.node("ReduceMean", "gap", List.of(x), ints("axes", 2, 3), i("keepdims", 0));
        String flat = b.node("Reshape", "flat", List.of(x, b.longs("shape", 2, -1)));
        String dense = b.node("Gemm", "dense", List.of(flat, b.floats("k", new int[] {4, 54}, random(r, 216, 0.2)),
                b.floats("kb", new int[] {4}, random(r, 4, 0.1))), i("transB", 1));
        String proj = b.node("MatMul", "proj", List.of(mean, b.floats("m", new int[] {6, 4}, random(r, 24, 0.3))));
        proj = b.node("Add", "proj_bias", List.of(proj, b.floats("mb", new int[] {4}, random(r, 4, 0.1))));
        proj = b.node("LeakyRelu", "leaky", List.of(proj), f("alpha", 0.2f));
        String sig = b.node("Sigmoid", "sig", List.of(dense));
        String cat = b.node("Concat", "cat", List.of(sig, proj), i("axis", 1));
        b.output(b.node("Softmax", "softmax", List.of(cat), i("axis", 1)));
        NativeGraph g = OnnxImporter.importModel(OnnxModelFile.of(Path.of("grad.onnx"), b.build("test")));
        if (!batchStatistics) {
            g.parameters().get("gamma").setTrainable(false);
            g.parameters().get("beta").setTrainable(false);
        }
        return g;
    }

    private static double loss(NativeGraph g, Value x, float[] weights, NativeGraph.Tape tape) {
        Value y = g.forward(Map.of("x", x), List.of(), tape, true, 1, 1).values().iterator().next();
        double sum = 0;
        for (int k = 0; k < weights.length; k++) {
            sum += weights[k] * y.floatData()[k];
        }
        return sum;
    }

    private static void check(boolean batchStatistics) {
        NativeGraph g = graph(batchStatistics);
        SplittableRandom r = new SplittableRandom(2);
        Value x = Value.floats(new int[] {2, 5, 5, 3}, random(r, 150, 1));
        float[] weights = random(r, 16, 1);
        NativeGraph.Tape tape = new NativeGraph.Tape();
        loss(g, x, weights, tape);
        Map<String, Value> inputGrad = g.backward(tape, Map.of(g.outputs().get(0), Value.floats(new int[] {2, 8}, weights)),
                List.of("x"));
        int checked = 0;
        for (Parameter p : g.parameters().values()) {
            if (!p.trainable()) {
                continue;
            }
            float[] v = p.value().data();
            for (int k = 0; k < Math.min(v.length, 6); k++) {
                float keep = v[k];
                double eps = 1e-3;
                v[k] = (float) (keep + eps);
                double up = loss(g, x, weights, null);
                v[k] = (float) (keep - eps);
                double down = loss(g, x, weights, null);
                v[k] = keep;
                double numeric = (up - down) / (2 * eps);
                assertEquals(numeric, p.gradient().data()[k], 2e-3 + 2e-2 * Math.abs(numeric),
                        p.name() + "[" + k + "] (batch statistics " + batchStatistics + ")");
                checked++;
            }
        }
        float[] xv = x.floatData();
        for (int k = 0; k < 20; k++) {
            float keep = xv[k];
            xv[k] = keep + 1e-2f;
            double up = loss(g, x, weights, null);
            xv[k] = keep - 1e-2f;
            double down = loss(g, x, weights, null);
            xv[k] = keep;
            double numeric = (up - down) / 2e-2;
            assertEquals(numeric, inputGrad.get("x").floatData()[k], 2e-3 + 2e-2 * Math.abs(numeric), "x[" + k + "]");
        }
        assertEquals(batchStatistics ? 44 : 32, checked);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithBatchStatistics() {
        check(true);
    }

    @Test
    void frozenBatchNormUsesMovingStatisticsAndPassesGradients() {
        check(false);
    }
}
