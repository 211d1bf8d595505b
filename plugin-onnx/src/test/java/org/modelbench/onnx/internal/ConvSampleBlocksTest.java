package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.i;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.ints;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Convolutions with small output planes run several samples side by side in one SGEMM; the
 * results are the bits of one product per sample (the im2col + SGEMM definition), forward and backward.
 */
class ConvSampleBlocksTest {

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void sideBySideSamplesGiveThePerSampleBits() {
        for (int group : new int[] {1, 2}) {
            int n = 5;
            int c = 4;
            int m = 6;
            int cg = c / group;
            int mg = m / group;
            SplittableRandom r = new SplittableRandom(group);
            float[] w = random(r, m * cg * 9);
            float[] bias = random(r, m);
            OnnxGraphBuilder b = new OnnxGraphBuilder("conv", 13);
            String x = b.input("x", n, c, 9, 9);
            b.output(b.node("Conv", "conv", List.of(x, b.floats("w", new int[] {m, cg, 3, 3}, w),
                    b.floats("b", new int[] {m}, bias)), i("group", group), ints("pads", 1, 1, 1, 1),
                    ints("strides", 2, 2)));
            NativeGraph graph = OnnxImporter.importModel(OnnxModelFile.of(Path.of("conv.onnx"), b.build("test")));
            Window g = new Window(9, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 5, 5);
            int outPlane = 25;
            int inPlane = 81;
            int k = cg * 9;
            assertEquals(n, WindowKernels.samplesPerProduct(n, k, outPlane), "the test must take the side-by-side path");
            float[] xs = random(r, n * c * inPlane);
            float[] dy = random(r, n * m * outPlane);
            NativeGraph.Tape tape = new NativeGraph.Tape();
            Value y = graph.forward(Map.of("x", Value.floats(new int[] {n, c, 9, 9}, xs)), List.of(), tape, true, 1, 2)
                    .values().iterator().next();
            Value dx = graph.backward(tape, Map.of(graph.outputs().get(0), Value.floats(new int[] {n, m, 5, 5}, dy)),
                    List.of("x")).get("x");
            float[] dw = graph.parameters().get("w").gradient().data();

            float[] yRef = new float[n * m * outPlane];
            float[] dwRef = new float[w.length];
            float[] dxRef = new float[xs.length];
            float[] col = new float[k * outPlane];
            float[] dcol = new float[k * outPlane];
            for (int s = 0; s < n; s++) {
                for (int gi = 0; gi < group; gi++) {
                    int xOff = (s * c + gi * cg) * inPlane;
                    int yOff = (s * m + gi * mg) * outPlane;
                    g.im2col(xs, xOff, cg, col);
                    Blas.gemm(false, false, mg, outPlane, k, w, gi * mg * k, col, 0, yRef, yOff, false, 1);
                    for (int f = 0; f < mg; f++) {
                        for (int q = 0; q < outPlane; q++) {
                            yRef[yOff + f * outPlane + q] += bias[gi * mg + f];
                        }
                    }
                    Blas.gemm(false, true, mg, k, outPlane, dy, yOff, col, 0, dwRef, gi * mg * k, true, 1);
                    Blas.gemm(true, false, k, outPlane, mg, w, gi * mg * k, dy, yOff, dcol, 0, false, 1);
                    g.col2im(dcol, cg, dxRef, xOff);
                }
            }
            // a training forward and backward: the per-sample bits on the Java kernel (ConvGradientsTest)
            ConvGradientsTest.assertTrainingBits(yRef, y.floatData(), "forward, group " + group);
            ConvGradientsTest.assertTrainingBits(dwRef, dw, "kernel gradient, group " + group);
            ConvGradientsTest.assertTrainingBits(dxRef, dx.floatData(), "input gradient, group " + group);
        }
    }

    @Test
    void largePlanesRunOneSampleAtATimeAndBlocksStayBounded() {
        assertEquals(1, WindowKernels.samplesPerProduct(8, 576, 1024));
        assertEquals(8, WindowKernels.samplesPerProduct(8, 4608, 81));
        assertEquals(3, WindowKernels.samplesPerProduct(3, 27, 49));
        // 4M floats of unfolded input at most
        assertEquals(1, WindowKernels.samplesPerProduct(8, 100_000, 100));
    }

    @Test
    void inferenceFusesAReluIntoTheConvBeforeItWithTheSameBits() {
        SplittableRandom r = new SplittableRandom(5);
        OnnxGraphBuilder b = new OnnxGraphBuilder("conv-relu", 13);
        String x = b.input("x", 2, 3, 8, 8);
        String conv = b.node("Conv", "conv", List.of(x, b.floats("w", new int[] {4, 3, 3, 3}, random(r, 108))),
                ints("pads", 1, 1, 1, 1));
        String relu = b.node("Relu", "relu", List.of(conv));
        // a second Conv + Relu whose Conv output is read twice: not fused
        String conv2 = b.node("Conv", "conv2", List.of(relu, b.floats("w2", new int[] {4, 4, 1, 1}, random(r, 16))));
        String relu2 = b.node("Relu", "relu2", List.of(conv2));
        b.output(b.node("Add", "sum", List.of(relu2, conv2)));
        NativeGraph graph = OnnxImporter.importModel(OnnxModelFile.of(Path.of("conv-relu.onnx"), b.build("test")));
        Value in = Value.floats(new int[] {2, 3, 8, 8}, random(r, 384));
        float[] fused = graph.run(Map.of("x", in), List.of(), 2).values().iterator().next().floatData();
        float[] taped = graph.forward(Map.of("x", in), List.of(), new NativeGraph.Tape(), false, 0, 2).values()
                .iterator().next().floatData();
        assertArrayEquals(taped, fused);
        // asking for the Conv's own output keeps it (no in-place Relu on a wanted value)
        Map<String, Value> both = graph.run(Map.of("x", in), List.of(conv, relu), 1);
        float[] c = both.get(conv).floatData();
        float[] y = both.get(relu).floatData();
        boolean negative = false;
        for (int i = 0; i < c.length; i++) {
            negative |= c[i] < 0;
            assertEquals(c[i] > 0 ? c[i] : 0f, y[i]);
        }
        assertTrue(negative, "the test needs negative pre-activations");
    }
}
