package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.i;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.ints;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.modelbench.engine.kernels.Sgemm;
import org.modelbench.testkit.OptionalMaterial;

/**
 * The inference convolution ({@link ConvForward}: flat and channels-last depthwise, stride-2
 * unfolding from column phases, bands of output rows on large planes, samples side by side, the
 * fused epilogue) gives the bits of one im2col + SGEMM per sample and group plus the bias (Winograd's layers: of
 * one sample alone on one thread), for 1 and 2 threads; a graph with Add and Relu or Clip folded into the Conv gives the bits of the same graph
 * run node by node; max pooling on stride phases gives the window maxima.
 */
class ConvForwardTest {

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = r.nextInt(7) == 0 ? 0f : (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    /** A window over {@code h x w} with the given square kernel, stride, dilation and symmetric padding. */
    private static Window window(int h, int w, int k, int stride, int dilation, int pad) {
        int extent = dilation * (k - 1) + 1;
        return new Window(h, w, k, k, stride, stride, dilation, dilation, pad, pad, pad, pad,
                (h + 2 * pad - extent) / stride + 1, (w + 2 * pad - extent) / stride + 1);
    }

    /**
     * The definition: per sample and group, im2col, then SGEMM ({@link Blas#convGemm}: OpenBLAS when selected, but
     * the Java kernel for convolutions with one input channel per group, whose fused paths compute the Java
     * kernel's chain: OpenBLAS's summation order over k depends on its kernel, e.g. SkylakeX's differs from Zen's)
     * on whole planes or on the bands {@link ConvForward#rowsPerProduct} names, then the bias.
     */
    private static float[] reference(Window g, int group, int n, int c, int m, float[] x, float[] w, float[] b) {
        int cg = c / group;
        int mg = m / group;
        int k = cg * g.kh() * g.kw();
        int outPlane = g.outH() * g.outW();
        int inPlane = g.inH() * g.inW();
        float[] y = new float[n * m * outPlane];
        float[] col = new float[k * outPlane];
        if (WinogradConv.suits(g, group, c, m)) {
            // Winograd's layers: each sample alone on one thread
            int inSample = c * g.inH() * g.inW();
            for (int s = 0; s < n; s++) {
                float[] ys = new float[m * outPlane];
                ConvForward.winograd(g, new int[] {1, c, g.inH(), g.inW()},
                        java.util.Arrays.copyOfRange(x, s * inSample, (s + 1) * inSample), m, w, b, null, Epilogue.NONE,
                        new WinogradConv.Filters(), 1, ys);
                System.arraycopy(ys, 0, y, s * m * outPlane, ys.length);
            }
            return y;
        }
        // one input channel per group (depthwise, or several filters per channel): always the Java kernel's chain
        boolean perSample = Blas.convPerSample(outPlane) && !(cg == 1 && group > 1);
        for (int s = 0; s < n; s++) {
            for (int gi = 0; gi < group; gi++) {
                int yOff = (s * m + gi * mg) * outPlane;
                g.im2col(x, (s * c + gi * cg) * inPlane, cg, col);
                // the products' shape rule: whole planes, or bands of output rows on large ones
                int band = ConvForward.rowsPerProduct(g, k);
                for (int oy0 = 0; oy0 < g.outH(); oy0 += band) {
                    int cols = (Math.min(g.outH(), oy0 + band) - oy0) * g.outW();
                    Blas.convGemm(perSample, mg, cols, k, w, gi * mg * k, col, oy0 * g.outW(), outPlane, y, yOff + oy0 * g.outW(),
                            outPlane, 1);
                }
                for (int f = 0; f < mg && b != null; f++) {
                    for (int q = 0; q < outPlane; q++) {
                        y[yOff + f * outPlane + q] += b[gi * mg + f];
                    }
                }
            }
        }
        return y;
    }

    private record Case(Window g, int n, int c, int m, int group) {
    }

    @Test
    void everyPathGivesIm2colAndSgemmBits() {
        List<Case> cases = new ArrayList<>();
        Window[] depthwise = {window(9, 11, 3, 1, 1, 1), window(9, 11, 3, 2, 1, 1), window(10, 12, 3, 2, 1, 1),
            window(12, 12, 5, 2, 1, 2), window(6, 8, 3, 1, 1, 0), window(7, 7, 3, 2, 1, 0), window(3, 3, 3, 1, 1, 1),
            window(10, 7, 3, 1, 2, 2), window(5, 5, 3, 3, 1, 4)};
        for (Window g : depthwise) {
            cases.add(new Case(g, 3, 5, 5, 5));
            cases.add(new Case(g, 3, 5, 10, 5));
        }
        cases.add(new Case(window(24, 24, 3, 1, 1, 1), 8, 32, 32, 32));
        cases.add(new Case(window(24, 24, 3, 2, 1, 1), 8, 32, 32, 32));
        // small planes, many channels: channels-last (40: a partial vector of channels)
        cases.add(new Case(window(6, 6, 3, 1, 1, 1), 3, 48, 48, 48));
        cases.add(new Case(window(3, 3, 3, 1, 1, 1), 8, 40, 40, 40));
        cases.add(new Case(window(12, 12, 3, 2, 1, 1), 2, 32, 32, 32));
        cases.add(new Case(window(7, 7, 3, 2, 1, 0), 2, 64, 64, 64));
        cases.add(new Case(window(8, 8, 5, 1, 1, 2), 8, 96, 96, 96));
        Window[] dense = {window(9, 11, 3, 2, 1, 1), window(20, 20, 7, 2, 1, 3), window(9, 9, 1, 1, 1, 0),
            window(9, 11, 1, 2, 1, 0), window(8, 8, 3, 1, 1, 1), window(11, 10, 3, 2, 2, 2)};
        for (Window g : dense) {
            cases.add(new Case(g, 3, 4, 6, 1));
            cases.add(new Case(g, 3, 4, 6, 2));
        }
        cases.add(new Case(window(28, 28, 3, 2, 1, 1), 8, 16, 16, 1));
        cases.add(new Case(window(14, 14, 3, 1, 1, 1), 8, 16, 24, 1));
        cases.add(new Case(window(6, 6, 1, 1, 1, 0), 8, 32, 48, 1));
        // large planes: bands of output rows (same-width stride 1, narrower, stride 3)
        cases.add(new Case(window(100, 100, 3, 1, 1, 1), 1, 32, 8, 1));
        cases.add(new Case(window(100, 100, 5, 1, 1, 0), 1, 32, 8, 1));
        cases.add(new Case(window(150, 150, 3, 3, 1, 1), 2, 64, 8, 1));
        // Winograd F(2x2,3x3): pads 1 and 0, odd output sizes
        cases.add(new Case(window(16, 16, 3, 1, 1, 1), 8, 64, 64, 1));
        cases.add(new Case(window(19, 17, 3, 1, 1, 0), 3, 64, 72, 1));
        SplittableRandom r = new SplittableRandom(7);
        for (Case t : cases) {
            Window g = t.g();
            float[] x = random(r, t.n() * t.c() * g.inH() * g.inW());
            float[] w = random(r, t.m() * (t.c() / t.group()) * g.kh() * g.kw());
            float[] b = random(r, t.m());
            float[] want = reference(g, t.group(), t.n(), t.c(), t.m(), x, w, b);
            int[] dims = {t.n(), t.c(), g.inH(), g.inW()};
            for (int threads : new int[] {1, 2}) {
                float[] got = ConvForward.forward(g, t.group(), dims, x, t.m(), w, b, null, Epilogue.NONE, threads);
                assertArrayEquals(want, got, t + " on " + threads + " thread(s)");
            }
            float[] noBias = ConvForward.forward(g, t.group(), dims, x, t.m(), w, null, null, Epilogue.NONE, 2);
            assertArrayEquals(reference(g, t.group(), t.n(), t.c(), t.m(), x, w, null), noBias, t + " without bias");
        }
    }

    /**
     * With OpenBLAS selected, inference convolutions run one product per sample (OpenBLAS's bits depend on the
     * product's shape, which the layer fixes): a sample's output is the same bits alone and in batches of 3 and 8,
     * on 1 and 2 threads (pointwise, whole-plane, stride-2 phases, bands of a large plane, groups, a 7x7 stem).
     */
    @Test
    void perSampleOpenBlasProductsGiveASampleTheSameBitsInAnyBatch() {
        OptionalMaterial.require(Blas.convPerSample(), "per-sample OpenBLAS convolutions: the native BLAS path is "
                + Sgemm.nativeStatus() + " (" + Sgemm.BLAS_PROPERTY + "=" + System.getProperty(Sgemm.BLAS_PROPERTY, "auto")
                + "; apt-get install gcc libopenblas-dev, then rebuild engine-java)");
        Case[] cases = {new Case(window(9, 9, 1, 1, 1, 0), 8, 32, 48, 1), new Case(window(14, 14, 3, 1, 1, 1), 8, 16, 24, 1),
            new Case(window(20, 20, 7, 2, 1, 3), 8, 3, 16, 1), new Case(window(11, 10, 3, 2, 2, 2), 8, 4, 6, 2),
            new Case(window(100, 100, 3, 1, 1, 1), 8, 16, 8, 1), new Case(window(4, 4, 3, 1, 1, 1), 8, 64, 64, 1),
            new Case(window(16, 16, 3, 1, 1, 1), 8, 64, 64, 1)};
        SplittableRandom r = new SplittableRandom(11);
        for (Case t : cases) {
            Window g = t.g();
            int inSample = t.c() * g.inH() * g.inW();
            int outSample = t.m() * g.outH() * g.outW();
            float[] x = random(r, t.n() * inSample);
            float[] w = random(r, t.m() * (t.c() / t.group()) * g.kh() * g.kw());
            float[] b = random(r, t.m());
            // every sample alone, on one thread: the bits the batches must reproduce
            float[] alone = new float[t.n() * outSample];
            for (int s = 0; s < t.n(); s++) {
                float[] xs = java.util.Arrays.copyOfRange(x, s * inSample, (s + 1) * inSample);
                float[] y = ConvForward.forward(g, t.group(), new int[] {1, t.c(), g.inH(), g.inW()}, xs, t.m(), w, b,
                        null, Epilogue.NONE, 1);
                System.arraycopy(y, 0, alone, s * outSample, outSample);
            }
            assertArrayEquals(java.util.Arrays.copyOf(reference(g, t.group(), t.n(), t.c(), t.m(), x, w, b),
                    alone.length), alone, t + ": alone vs the definition");
            for (int batch : new int[] {1, 3, 8}) {
                for (int threads : new int[] {1, 2}) {
                    float[] xb = java.util.Arrays.copyOf(x, batch * inSample);
                    float[] y = ConvForward.forward(g, t.group(), new int[] {batch, t.c(), g.inH(), g.inW()}, xb, t.m(),
                            w, b, null, Epilogue.NONE, threads);
                    assertArrayEquals(java.util.Arrays.copyOf(alone, batch * outSample),
                            java.util.Arrays.copyOf(y, batch * outSample), t + " in a batch of " + batch + " on "
                                    + threads + " thread(s)");
                }
            }
        }
    }

    /**
     * The epilogue applied in vectors across channels (channels-last depthwise) and along a filter's row of the
     * samples side by side (small planes on the Java kernel): the bits of the plain output followed by
     * {@link Epilogue#apply} plane by plane, with and without bias, for Relu, Clip and none, on 1 and 2 threads.
     */
    @Test
    void epiloguesOnSmallPlanesGiveThePlanePassBits() {
        Case[] cases = {new Case(window(3, 3, 3, 1, 1, 1), 8, 40, 40, 40), new Case(window(6, 6, 3, 2, 1, 1), 8, 64, 64, 64),
            new Case(window(12, 12, 3, 2, 1, 1), 3, 48, 48, 48), new Case(window(3, 3, 1, 1, 1, 0), 8, 32, 20, 1),
            new Case(window(6, 6, 1, 1, 1, 0), 8, 24, 40, 1), new Case(window(5, 5, 3, 1, 1, 1), 5, 8, 12, 1)};
        Epilogue[] epilogues = {Epilogue.RELU, Epilogue.clip(0f, 6f), Epilogue.NONE};
        SplittableRandom r = new SplittableRandom(5);
        for (Case t : cases) {
            Window g = t.g();
            int outPlane = g.outH() * g.outW();
            float[] x = random(r, t.n() * t.c() * g.inH() * g.inW());
            for (int i = 0; i < x.length; i++) {
                x[i] *= 8;
            }
            float[] w = random(r, t.m() * (t.c() / t.group()) * g.kh() * g.kw());
            int[] dims = {t.n(), t.c(), g.inH(), g.inW()};
            for (float[] b : new float[][] {random(r, t.m()), null}) {
                float[] plain = ConvForward.forward(g, t.group(), dims, x, t.m(), w, null, null, Epilogue.NONE, 1).clone();
                for (Epilogue e : epilogues) {
                    float[] want = plain.clone();
                    for (int s = 0; s < t.n(); s++) {
                        for (int f = 0; f < t.m(); f++) {
                            int o = (s * t.m() + f) * outPlane;
                            e.scalar(want, o, 0, outPlane, b != null, b != null ? b[f] : 0f, null, 0);
                        }
                    }
                    for (int threads : new int[] {1, 2}) {
                        float[] got = ConvForward.forward(g, t.group(), dims, x, t.m(), w, b, null, e, threads);
                        assertArrayEquals(want, java.util.Arrays.copyOf(got, want.length), t + " " + e + " bias "
                                + (b != null) + " on " + threads + " thread(s)");
                    }
                }
            }
        }
    }

    @Test
    void largePlanesRunInBandsOfAtLeast512Columns() {
        assertEquals(12, ConvForward.rowsPerBand(576, 150));
        assertEquals(14, ConvForward.rowsPerBand(2304, 37));
        assertEquals(36, ConvForward.rowsPerBand(288, 100));
    }

    @Test
    void productsMakeWholeRoundsOverTheThreads() {
        assertEquals(6, WindowKernels.samplesPerProduct(8, 576, 196), "the untuned split the test starts from");
        assertEquals(4, ConvForward.samplesPerProduct(8, 576, 196, 2));
        assertEquals(6, ConvForward.samplesPerProduct(8, 576, 196, 1));
        assertEquals(8, ConvForward.samplesPerProduct(8, 64, 36, 2));
    }

    /** Conv, Add with a graph input (conv output first or second), then Relu or Clip (bounds as inputs). */
    @Test
    void foldedAddAndActivationGiveTheNodeByNodeBits() {
        SplittableRandom r = new SplittableRandom(3);
        for (String activation : new String[] {"Relu", "Clip", "none"}) {
            for (boolean withAdd : new boolean[] {true, false}) {
                for (int group : new int[] {1, 8}) {
                    int n = 4;
                    int c = 8;
                    int m = 8;
                    OnnxGraphBuilder gb = new OnnxGraphBuilder("fused", 13);
                    String x = gb.input("x", n, c, 12, 12);
                    String res = gb.input("r", n, m, 6, 6);
                    String conv = gb.node("Conv", "conv", List.of(x,
                            gb.floats("w", new int[] {m, c / group, 3, 3}, random(r, m * (c / group) * 9)),
                            gb.floats("b", new int[] {m}, random(r, m))), i("group", group), ints("pads", 1, 1, 1, 1),
                            ints("strides", 2, 2));
                    String v = withAdd ? gb.node("Add", "add", group == 1 ? List.of(conv, res) : List.of(res, conv))
                            : conv;
                    if (activation.equals("Relu")) {
                        v = gb.node("Relu", "relu", List.of(v));
                    } else if (activation.equals("Clip")) {
                        v = gb.node("Clip", "clip", List.of(v, gb.floats("lo", new int[0], new float[] {0f}),
                                gb.floats("hi", new int[0], new float[] {0.5f})));
                    }
                    gb.output(v);
                    NativeGraph graph = OnnxImporter.importModel(OnnxModelFile.of(Path.of("fused.onnx"), gb.build("test")));
                    Map<String, Value> feeds = Map.of("x", Value.floats(new int[] {n, c, 12, 12}, random(r, n * c * 144)),
                            "r", Value.floats(new int[] {n, m, 6, 6}, random(r, n * m * 36)));
                    // with a tape every node runs on its own; without, the Add and the activation fold into the Conv
                    Value nodeByNode = graph.forward(feeds, List.of(), new NativeGraph.Tape(), false, 0, 1)
                            .values().iterator().next();
                    for (int threads : new int[] {1, 2}) {
                        Value fused = graph.run(feeds, List.of(), threads).values().iterator().next();
                        assertArrayEquals(nodeByNode.floatData(), fused.floatData(),
                                activation + " add " + withAdd + " group " + group + " threads " + threads);
                    }
                }
            }
        }
    }

    /** Max pooling on the stride phases gives the maximum over each window's taps inside the input. */
    @Test
    void maxPoolingOnPhasesGivesTheWindowMaxima() {
        SplittableRandom r = new SplittableRandom(5);
        long[][] geometries = {{3, 2, 1}, {3, 1, 1}, {2, 1, 0}, {3, 2, 0}, {5, 2, 2}, {3, 1, 0}};
        for (long[] geo : geometries) {
            for (int size : new int[] {7, 12, 56}) {
                int k = (int) geo[0];
                int stride = (int) geo[1];
                int pad = (int) geo[2];
                OnnxGraphBuilder gb = new OnnxGraphBuilder("pool", 13);
                String x = gb.input("x", 2, 3, size, size);
                gb.output(gb.node("MaxPool", "pool", List.of(x), ints("kernel_shape", k, k), ints("strides", stride, stride),
                        ints("pads", pad, pad, pad, pad)));
                NativeGraph graph = OnnxImporter.importModel(OnnxModelFile.of(Path.of("pool.onnx"), gb.build("test")));
                float[] xs = random(r, 2 * 3 * size * size);
                xs[3] = -0f;
                float[] y = graph.run(Map.of("x", Value.floats(new int[] {2, 3, size, size}, xs)), List.of(), 2)
                        .values().iterator().next().floatData();
                int out = (size + 2 * pad - k) / stride + 1;
                float[] want = new float[6 * out * out];
                for (int p = 0; p < 6; p++) {
                    for (int oy = 0; oy < out; oy++) {
                        for (int ox = 0; ox < out; ox++) {
                            float m = Float.NEGATIVE_INFINITY;
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * stride - pad + ky;
                                    int ix = ox * stride - pad + kx;
                                    if (iy >= 0 && iy < size && ix >= 0 && ix < size) {
                                        m = Math.max(m, xs[(p * size + iy) * size + ix]);
                                    }
                                }
                            }
                            want[(p * out + oy) * out + ox] = m;
                        }
                    }
                }
                assertArrayEquals(want, y, "kernel " + k + " stride " + stride + " pad " + pad + " on " + size);
            }
        }
    }
}
