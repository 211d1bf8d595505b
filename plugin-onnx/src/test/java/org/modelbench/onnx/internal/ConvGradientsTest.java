package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.i;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.ints;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.modelbench.api.Parameter;

/**
 * The convolution backward pass ({@link ConvGradients}) on a block shaped like VGG16's last one
 * (3x3 pad-1 convolutions + ReLU on 9x9 planes, max pooling, a dense head): gradients against
 * finite differences (with Tanh and average pooling, which have no kinks), the same bits for 1 and 2 threads, the bits of one im2col + SGEMM per sample,
 * no input gradient where nobody uses one, the Relu folded into the convolution (forward and backward)
 * with the unfused bits, and the unfolded input a forward pass keeps used only by its own backward.
 */
class ConvGradientsTest {
    private static final int CHANNELS = 64;

    /**
     * Training products run on {@link Blas#shapedGemm}: with the engine's Java kernel they have the
     * per-sample bits exactly; with OpenBLAS, whose rounding follows the product's shape, they agree
     * to 1e-4 of the largest magnitude.
     */
    static void assertTrainingBits(float[] want, float[] got, String what) {
        String kernel = org.modelbench.engine.kernels.Sgemm.kernelName();
        if (kernel.startsWith("vector") || kernel.equals("scalar")) {
            assertArrayEquals(want, got, what + " (" + kernel + ")");
            return;
        }
        float scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(want, got, 1e-4f * scale, what + " (" + kernel + ")");
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }

    /** The block; {@code smooth}: Tanh and average pooling instead of ReLU and max pooling (no kinks for finite differences). */
    private static NativeGraph block(int channels, boolean smooth) {
        SplittableRandom r = new SplittableRandom(7);
        double scale = Math.sqrt(2.0 / (9 * channels));
        OnnxGraphBuilder b = new OnnxGraphBuilder("block", 13);
        String x = b.input("x", -1, channels, 9, 9);
        for (int c = 1; c <= 2; c++) {
            x = b.node("Conv", "conv" + c, List.of(x, b.floats("w" + c, new int[] {channels, channels, 3, 3},
                    random(r, channels * channels * 9, scale)), b.floats("b" + c, new int[] {channels},
                    random(r, channels, 0.1))), ints("pads", 1, 1, 1, 1));
            x = b.node(smooth ? "Tanh" : "Relu", "act" + c, List.of(x));
        }
        x = b.node(smooth ? "AveragePool" : "MaxPool", "pool", List.of(x), ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        x = b.node("Flatten", "flat", List.of(x));
        b.output(b.node("Gemm", "dense", List.of(x, b.floats("k", new int[] {3, channels * 16},
                random(r, 3 * channels * 16, 0.05)), b.floats("kb", new int[] {3}, random(r, 3, 0.1))), i("transB", 1)));
        NativeGraph g = OnnxImporter.importModel(OnnxModelFile.of(Path.of("block.onnx"), b.build("test")));
        g.parameters().values().forEach(p -> p.setTrainable(true));
        return g;
    }

    /** Parameter gradients (by name) and, when wanted, the input gradient ("x") of sum(weights * output). */
    private static Map<String, float[]> gradients(NativeGraph g, Value x, float[] weights, int threads, boolean inputWanted) {
        g.parameters().values().forEach(p -> java.util.Arrays.fill(p.gradient().data(), 0f));
        NativeGraph.Tape tape = new NativeGraph.Tape();
        g.forward(Map.of("x", x), List.of(), tape, true, 1, threads);
        Map<String, Value> in = g.backward(tape, Map.of(g.outputs().get(0), Value.floats(new int[] {x.dim(0), 3}, weights)),
                inputWanted ? List.of("x") : List.of());
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Parameter p : g.parameters().values()) {
            out.put(p.name(), p.gradient().data().clone());
        }
        if (inputWanted) {
            out.put("x", in.get("x").floatData());
        }
        return out;
    }

    private static double loss(NativeGraph g, Value x, float[] weights) {
        float[] y = g.run(Map.of("x", x), List.of(), 1).values().iterator().next().floatData();
        double sum = 0;
        for (int k = 0; k < y.length; k++) {
            sum += weights[k] * y[k];
        }
        return sum;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        NativeGraph g = block(8, true);
        SplittableRandom r = new SplittableRandom(3);
        Value x = Value.floats(new int[] {3, 8, 9, 9}, random(r, 3 * 8 * 81, 1));
        float[] weights = random(r, 9, 1);
        Map<String, float[]> grads = gradients(g, x, weights, 2, true);
        int checked = 0;
        for (Parameter p : g.parameters().values()) {
            float[] v = p.value().data();
            for (int k = 0; k < v.length; k += Math.max(1, v.length / 7)) {
                float keep = v[k];
                double eps = 1e-3;
                v[k] = (float) (keep + eps);
                double up = loss(g, x, weights);
                v[k] = (float) (keep - eps);
                double down = loss(g, x, weights);
                v[k] = keep;
                double numeric = (up - down) / (2 * eps);
                assertEquals(numeric, grads.get(p.name())[k], 2e-3 + 2e-2 * Math.abs(numeric), p.name() + "[" + k + "]");
                checked++;
            }
        }
        float[] xv = x.floatData();
        for (int k = 0; k < xv.length; k += 97) {
            float keep = xv[k];
            xv[k] = keep + 1e-2f;
            double up = loss(g, x, weights);
            xv[k] = keep - 1e-2f;
            double down = loss(g, x, weights);
            xv[k] = keep;
            double numeric = (up - down) / 2e-2;
            assertEquals(numeric, grads.get("x")[k], 2e-3 + 2e-2 * Math.abs(numeric), "x[" + k + "]");
            checked++;
        }
        assertTrue(checked > 40, "checked " + checked);
    }

    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        NativeGraph g = block(CHANNELS, false);
        for (int batch : new int[] {1, 6}) {
            SplittableRandom r = new SplittableRandom(batch);
            Value x = Value.floats(new int[] {batch, CHANNELS, 9, 9}, random(r, batch * CHANNELS * 81, 1));
            float[] weights = random(r, batch * 3, 1);
            Map<String, float[]> one = gradients(g, x, weights, 1, true);
            Map<String, float[]> two = gradients(g, x, weights, 2, true);
            for (String name : one.keySet()) {
                assertArrayEquals(one.get(name), two.get(name), name + ", batch " + batch);
            }
            // without an input gradient: the same parameter gradients
            Map<String, float[]> noInput = gradients(g, x, weights, 2, false);
            for (String name : noInput.keySet()) {
                assertArrayEquals(one.get(name), noInput.get(name), name + " without dX, batch " + batch);
            }
        }
    }

    @Test
    void sideBySideSamplesGiveThePerSampleBitsAndSkipAnUnusedInputGradient() {
        int n = 6;
        int c = CHANNELS;
        NativeGraph g = block(c, false);
        NativeGraph.Node conv = g.nodes().stream().filter(node -> node.name().equals("conv1")).findFirst().orElseThrow();
        SplittableRandom r = new SplittableRandom(11);
        float[] x = random(r, n * c * 81, 1);
        float[] w = g.parameters().get("w1").value().data();
        float[] dy = random(r, n * c * 81, 1);
        Value[] in = {Value.floats(new int[] {n, c, 9, 9}, x), Value.floats(new int[] {c, c, 3, 3}, w),
                Value.floats(new int[] {c}, g.parameters().get("b1").value().data())};
        Value[] gradOut = {Value.floats(new int[] {n, c, 9, 9}, dy)};
        assertEquals(n, ConvGradients.samplesPerBlock(n, c * 9, 81), "the test must take the side-by-side path");
        Value[] all = conv.kernel().backward(in, null, gradOut, new Kernel.Context(true, 0, 2));
        Value[] kernelOnly = conv.kernel().backward(in, null, gradOut, new Kernel.Context(true, 0, 2, 0b110, null));
        assertNull(kernelOnly[0], "an input gradient nobody uses");
        assertArrayEquals(all[1].floatData(), kernelOnly[1].floatData());

        Window geometry = new Window(9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 9, 9);
        int k = c * 9;
        float[] dwRef = new float[w.length];
        float[] dxRef = new float[x.length];
        float[] col = new float[k * 81];
        float[] dcol = new float[k * 81];
        for (int s = 0; s < n; s++) {
            geometry.im2col(x, s * c * 81, c, col);
            Blas.gemm(false, true, c, k, 81, dy, s * c * 81, col, 0, dwRef, 0, true, 1);
            Blas.gemm(true, false, k, 81, c, w, 0, dy, s * c * 81, dcol, 0, false, 1);
            geometry.col2im(dcol, c, dxRef, s * c * 81);
        }
        assertTrainingBits(dwRef, all[1].floatData(), "kernel gradient");
        assertTrainingBits(dxRef, all[0].floatData(), "input gradient");
    }

    @Test
    void aReluRunInPlaceOnTheConvOutputDuringTrainingGivesTheUnfusedGradients() {
        NativeGraph g = block(16, false);
        SplittableRandom r = new SplittableRandom(9);
        Value x = Value.floats(new int[] {4, 16, 9, 9}, random(r, 4 * 16 * 81, 1));
        float[] weights = random(r, 12, 1);
        Map<String, float[]> fused = gradients(g, x, weights, 2, true);
        // asking for the convolutions' own outputs keeps them (no in-place Relu)
        List<String> convOutputs = g.nodes().stream().filter(n -> n.opType().equals("Conv"))
                .map(n -> n.outputs().get(0)).toList();
        g.parameters().values().forEach(p -> java.util.Arrays.fill(p.gradient().data(), 0f));
        NativeGraph.Tape tape = new NativeGraph.Tape();
        List<String> wanted = new java.util.ArrayList<>(g.outputs());
        wanted.addAll(convOutputs);
        Map<String, Value> values = g.forward(Map.of("x", x), wanted, tape, true, 1, 2);
        float min = 0;
        for (float v : values.get(convOutputs.get(0)).floatData()) {
            min = Math.min(min, v);
        }
        assertTrue(min < 0, "the unfused convolution output keeps its negative values");
        float[] dx = g.backward(tape, Map.of(g.outputs().get(0), Value.floats(new int[] {4, 3}, weights)), List.of("x"))
                .get("x").floatData();
        for (Parameter p : g.parameters().values()) {
            assertArrayEquals(p.gradient().data(), fused.get(p.name()), p.name());
        }
        assertArrayEquals(dx, fused.get("x"), "input gradient");
    }

    @Test
    void aBackwardAfterAnotherForwardPassUsesItsOwnInputsNotTheColumnsTheLastForwardKept() {
        NativeGraph g = block(16, false);
        SplittableRandom r = new SplittableRandom(13);
        Value x1 = Value.floats(new int[] {4, 16, 9, 9}, random(r, 4 * 16 * 81, 1));
        Value x2 = Value.floats(new int[] {4, 16, 9, 9}, random(r, 4 * 16 * 81, 1));
        float[] weights = random(r, 12, 1);
        Map<String, float[]> want = gradients(g, x1, weights, 2, true);
        g.parameters().values().forEach(p -> java.util.Arrays.fill(p.gradient().data(), 0f));
        NativeGraph.Tape first = new NativeGraph.Tape();
        g.forward(Map.of("x", x1), List.of(), first, true, 1, 2);
        // a second training pass (another batch) before the first one's backward
        g.forward(Map.of("x", x2), List.of(), new NativeGraph.Tape(), true, 1, 2);
        float[] dx = g.backward(first, Map.of(g.outputs().get(0), Value.floats(new int[] {4, 3}, weights)), List.of("x"))
                .get("x").floatData();
        for (Parameter p : g.parameters().values()) {
            assertArrayEquals(want.get(p.name()), p.gradient().data(), p.name());
        }
        assertArrayEquals(want.get("x"), dx, "input gradient");
    }

    @Test
    void depthwiseBackwardGivesTheBitsOfThePerPlaneLoopsOnEveryGeometry() {
        // (in, kernel, stride, dilation, pad top/left, pad bottom/right): MobileNetV2's 3x3 same and stride-2 cases,
        // a 5x5 kernel, dilation, asymmetric padding, no padding
        int[][] shapes = {{3, 3, 1, 1, 1, 1}, {7, 3, 2, 1, 0, 1}, {6, 5, 1, 1, 2, 2}, {9, 3, 1, 2, 2, 2}, {5, 3, 1, 1, 0, 0},
            {8, 3, 2, 1, 1, 1}};
        SplittableRandom r = new SplittableRandom(17);
        for (int[] sh : shapes) {
            int in = sh[0];
            int kernel = sh[1];
            int stride = sh[2];
            int dilation = sh[3];
            int out = (in + sh[4] + sh[5] - dilation * (kernel - 1) - 1) / stride + 1;
            Window geometry = new Window(in, in, kernel, kernel, stride, stride, dilation, dilation, sh[4], sh[4], sh[5],
                    sh[5], out, out);
            int n = 5;
            int c = 7;
            int taps = kernel * kernel;
            float[] x = random(r, n * c * in * in, 1);
            float[] w = random(r, c * taps, 1);
            float[] dy = random(r, n * c * out * out, 1);
            float[] dwStart = random(r, c * taps, 1); // the kernel gradient adds into a parameter's gradient
            float[] dwWant = dwStart.clone();
            float[] dxWant = new float[x.length];
            for (int f = 0; f < c; f++) {
                DirectConv.depthwiseBackward(geometry, n, x, f * in * in, c * in * in, w, f * taps, 1, dy,
                        f * out * out, c * out * out, dwWant, dxWant);
            }
            for (int threads : new int[] {1, 2}) {
                float[] dw = dwStart.clone();
                float[] dx = new float[x.length];
                ConvGradients.depthwiseBackward(geometry, n, c, x, w, dy, dw, dx, threads);
                String what = java.util.Arrays.toString(sh) + ", " + threads + " threads";
                assertArrayEquals(dwWant, dw, "kernel gradient " + what);
                assertArrayEquals(dxWant, dx, "input gradient " + what);
            }
        }
    }

    @Test
    void maxPoolingSendsEachGradientToTheFirstLargestInTapOrder() {
        OnnxGraphBuilder b = new OnnxGraphBuilder("pool", 13);
        String x = b.input("x", 2, 3, 9, 9);
        b.output(b.node("MaxPool", "pool", List.of(x), ints("kernel_shape", 2, 2), ints("strides", 2, 2)));
        NativeGraph g = OnnxImporter.importModel(OnnxModelFile.of(Path.of("pool.onnx"), b.build("test")));
        SplittableRandom r = new SplittableRandom(5);
        float[] xs = new float[2 * 3 * 81];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.nextInt(3); // many ties
        }
        xs[0] = Float.NaN; // windows with a NaN (first, and later in tap order) keep the search's choice
        xs[81 + 9 + 1] = Float.NaN;
        float[] dy = random(r, 2 * 3 * 16, 1);
        NativeGraph.Tape tape = new NativeGraph.Tape();
        g.forward(Map.of("x", Value.floats(new int[] {2, 3, 9, 9}, xs)), List.of(), tape, true, 0, 2);
        float[] dx = g.backward(tape, Map.of(g.outputs().get(0), Value.floats(new int[] {2, 3, 4, 4}, dy)), List.of("x"))
                .get("x").floatData();
        float[] want = new float[xs.length];
        for (int p = 0; p < 6; p++) {
            for (int oy = 0; oy < 4; oy++) {
                for (int ox = 0; ox < 4; ox++) {
                    int best = -1;
                    for (int ky = 0; ky < 2; ky++) {
                        for (int kx = 0; kx < 2; kx++) {
                            int at = p * 81 + (2 * oy + ky) * 9 + 2 * ox + kx;
                            if (best < 0 || xs[at] > xs[best]) {
                                best = at;
                            }
                        }
                    }
                    want[best] += dy[p * 16 + oy * 4 + ox];
                }
            }
        }
        assertArrayEquals(want, dx);
    }

    @Test
    void blocksHoldTheBatchWhenItFitsAndSplitItEvenlyOtherwise() {
        assertEquals(16, ConvGradients.samplesPerBlock(16, 4608, 81));
        // 8M floats of columns at most: 40 samples of VGG16's block 5 run as 20 + 20
        assertEquals(20, ConvGradients.samplesPerBlock(40, 4608, 81));
        assertEquals(1, ConvGradients.samplesPerBlock(16, 576, 1024));
        assertEquals(1, ConvGradients.samplesPerBlock(1, 4608, 81));
    }
}
