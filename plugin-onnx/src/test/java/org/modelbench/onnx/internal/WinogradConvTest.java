package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link WinogradConv} (F(2x2,3x3)) through {@link ConvForward}: close to a double-precision direct convolution
 * (within a few float eps times sqrt(9C) of the sum of magnitudes, about as close as im2col + SGEMM), for pads 0
 * and 1 and odd and even output sizes (edge tiles); its epilogue gives the bits of the separate bias, residual and
 * Relu; a sample's bits are the same on 1 and 2 threads and alone or in a batch of 8; the cached filter transform
 * is made again when the weights change.
 */
class WinogradConvTest {
    private static final float EPS = Math.ulp(1f);

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    private static Window window(int h, int w, int pad) {
        return new Window(h, w, 3, 3, 1, 1, 1, 1, pad, pad, pad, pad, h + 2 * pad - 2, w + 2 * pad - 2);
    }

    /** The direct convolution in double: {@code [0]} the sums, {@code [1]} the sums of magnitudes |x w|. */
    private static double[][] direct(Window g, int n, int c, int m, float[] x, float[] w) {
        int outH = g.outH();
        int outW = g.outW();
        double[] y = new double[n * m * outH * outW];
        double[] mag = new double[y.length];
        for (int s = 0; s < n; s++) {
            for (int f = 0; f < m; f++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        double acc = 0;
                        double abs = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int ky = 0; ky < 3; ky++) {
                                int iy = oy - g.padTop() + ky;
                                for (int kx = 0; kx < 3; kx++) {
                                    int ix = ox - g.padLeft() + kx;
                                    if (iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) {
                                        continue;
                                    }
                                    double p = (double) x[((s * c + ch) * g.inH() + iy) * g.inW() + ix]
                                            * w[((f * c + ch) * 3 + ky) * 3 + kx];
                                    acc += p;
                                    abs += Math.abs(p);
                                }
                            }
                        }
                        int o = ((s * m + f) * outH + oy) * outW + ox;
                        y[o] = acc;
                        mag[o] = abs;
                    }
                }
            }
        }
        return new double[][] {y, mag};
    }

    /** im2col + {@link Blas#convGemm} per sample (the path Winograd replaces), for comparing errors. */
    private static float[] im2col(Window g, int n, int c, int m, float[] x, float[] w) {
        int k = c * 9;
        int outPlane = g.outH() * g.outW();
        float[] col = new float[k * outPlane];
        float[] y = new float[n * m * outPlane];
        for (int s = 0; s < n; s++) {
            g.im2col(x, s * c * g.inH() * g.inW(), c, col);
            Blas.convGemm(Blas.convPerSample(), m, outPlane, k, w, 0, col, 0, outPlane, y, s * m * outPlane, outPlane, 1);
        }
        return y;
    }

    /** {@code [0]}: the largest |error|, {@code [1]}: the largest |error| / sum of magnitudes. */
    private static double[] error(float[] got, double[][] want) {
        double abs = 0;
        double rel = 0;
        for (int i = 0; i < got.length; i++) {
            double e = Math.abs(got[i] - want[0][i]);
            abs = Math.max(abs, e);
            rel = Math.max(rel, e / Math.max(want[1][i], Double.MIN_NORMAL));
        }
        return new double[] {abs, rel};
    }

    private record Shape(int h, int w, int pad, int c, int m) {
    }

    @Test
    void closeToTheDoubleReferenceForBothPadsAndEdgeTiles() {
        Shape[] shapes = {new Shape(18, 18, 0, 64, 64), new Shape(17, 17, 1, 64, 64), new Shape(19, 20, 1, 72, 80),
            new Shape(21, 18, 0, 64, 96), new Shape(16, 16, 1, 128, 64)};
        SplittableRandom r = new SplittableRandom(17);
        for (Shape t : shapes) {
            Window g = window(t.h(), t.w(), t.pad());
            assertTrue(WinogradConv.suits(g, 1, t.c(), t.m()), t + " runs Winograd");
            int n = 2;
            float[] x = random(r, n * t.c() * t.h() * t.w());
            float[] w = random(r, t.m() * t.c() * 9);
            float[] got = ConvForward.forward(g, 1, new int[] {n, t.c(), t.h(), t.w()}, x, t.m(), w, null, null,
                    Epilogue.NONE, 2);
            double[][] want = direct(g, n, t.c(), t.m(), x, w);
            double[] wino = error(got, want);
            double[] ref = error(im2col(g, n, t.c(), t.m(), x, w), want);
            System.out.printf("winograd %s: max abs %.3g rel %.3g; im2col max abs %.3g rel %.3g (eps sqrt(K) %.3g)%n",
                    t, wino[0], wino[1], ref[0], ref[1], EPS * Math.sqrt(9.0 * t.c()));
            double bound = 4 * EPS * Math.sqrt(9.0 * t.c());
            assertTrue(wino[1] < bound, t + ": relative error " + wino[1] + " >= " + bound);
            assertTrue(wino[0] < 3 * Math.max(ref[0], EPS), t + ": abs error " + wino[0] + " vs im2col " + ref[0]);
        }
    }

    @Test
    void theEpilogueGivesTheSeparateNodesBits() {
        SplittableRandom r = new SplittableRandom(23);
        for (int pad : new int[] {0, 1}) {
            Window g = window(19, 17, pad);
            int n = 3;
            int c = 64;
            int m = 64;
            float[] x = random(r, n * c * 19 * 17);
            float[] w = random(r, m * c * 9);
            float[] b = random(r, m);
            int outPlane = g.outH() * g.outW();
            float[] res = random(r, n * m * outPlane);
            int[] dims = {n, c, 19, 17};
            float[] plain = ConvForward.forward(g, 1, dims, x, m, w, null, null, Epilogue.NONE, 1);
            float[] want = new float[plain.length];
            for (int i = 0; i < plain.length; i++) {
                float v = plain[i] + b[i / outPlane % m];
                v += res[i];
                want[i] = v > 0 ? v : 0f;
            }
            float[] fused = ConvForward.forward(g, 1, dims, x, m, w, b, res, Epilogue.RELU, 2);
            assertArrayEquals(want, fused, "pad " + pad);
            // and near the double reference of relu(conv + b + r)
            double[][] exact = direct(g, n, c, m, x, w);
            for (int i = 0; i < want.length; i++) {
                double v = Math.max(0, exact[0][i] + b[i / outPlane % m] + res[i]);
                assertTrue(Math.abs(fused[i] - v) <= 4 * EPS * Math.sqrt(9.0 * c) * (exact[1][i] + 2), "at " + i);
            }
        }
    }

    @Test
    void aSamplesBitsDependOnNeitherItsBatchNorTheThreads() {
        SplittableRandom r = new SplittableRandom(29);
        for (Window g : new Window[] {window(20, 20, 1), window(17, 19, 0)}) {
            int c = 64;
            int m = 80;
            int inSample = c * g.inH() * g.inW();
            int outSample = m * g.outH() * g.outW();
            float[] x = random(r, 8 * inSample);
            float[] w = random(r, m * c * 9);
            float[] b = random(r, m);
            float[] batch1 = ConvForward.forward(g, 1, new int[] {8, c, g.inH(), g.inW()}, x, m, w, b, null,
                    Epilogue.RELU, 1);
            float[] batch2 = ConvForward.forward(g, 1, new int[] {8, c, g.inH(), g.inW()}, x, m, w, b, null,
                    Epilogue.RELU, 2);
            assertArrayEquals(batch1, batch2, g + ": 1 vs 2 threads");
            for (int s : new int[] {0, 5, 7}) {
                for (int threads : new int[] {1, 2}) {
                    float[] alone = ConvForward.forward(g, 1, new int[] {1, c, g.inH(), g.inW()},
                            Arrays.copyOfRange(x, s * inSample, (s + 1) * inSample), m, w, b, null, Epilogue.RELU,
                            threads);
                    assertArrayEquals(Arrays.copyOfRange(batch1, s * outSample, (s + 1) * outSample), alone,
                            g + ": sample " + s + " alone on " + threads + " thread(s) vs in the batch");
                }
            }
        }
    }

    @Test
    void theFilterTransformIsMadeAgainWhenTheWeightsChange() {
        SplittableRandom r = new SplittableRandom(31);
        Window g = window(18, 18, 1);
        int c = 64;
        int m = 64;
        float[] x = random(r, c * 18 * 18);
        float[] w = random(r, m * c * 9);
        int[] dims = {1, c, 18, 18};
        WinogradConv.Filters filters = new WinogradConv.Filters();
        float[] first = ConvForward.forward(g, 1, dims, x, m, w, null, null, Epilogue.NONE, filters, 1);
        float[] u = filters.cached();
        assertArrayEquals(WinogradConv.transform(w, m, c), u);
        ConvForward.forward(g, 1, dims, x, m, w, null, null, Epilogue.NONE, filters, 1);
        assertSame(u, filters.cached(), "the same weights reuse their transform");
        // trained in place: the same array, other contents
        w[5 * c * 9 + 4] += 0.25f;
        float[] changed = ConvForward.forward(g, 1, dims, x, m, w, null, null, Epilogue.NONE, filters, 1);
        assertNotSame(u, filters.cached());
        assertArrayEquals(WinogradConv.transform(w, m, c), filters.cached());
        assertArrayEquals(ConvForward.forward(g, 1, dims, x, m, w, null, null, Epilogue.NONE, 1), changed,
                "the changed weights' output");
        assertFalse(Arrays.equals(first, changed));
        // another array with the same contents: transformed for that array
        float[] other = w.clone();
        ConvForward.forward(g, 1, dims, x, m, other, null, null, Epilogue.NONE, filters, 1);
        assertTrue(filters.holds(other));
    }

    @Test
    void theRuleTakesOnlyQualifyingLayers() {
        assertTrue(WinogradConv.suits(window(18, 18, 1), 1, 64, 64));
        assertFalse(WinogradConv.suits(window(18, 18, 1), 1, 32, 64), "few input channels");
        assertFalse(WinogradConv.suits(window(18, 18, 1), 1, 64, 32), "few output channels");
        assertFalse(WinogradConv.suits(window(18, 18, 1), 2, 64, 64), "groups");
        assertFalse(WinogradConv.suits(window(4, 4, 1), 1, 512, 512), "few tiles");
        assertFalse(WinogradConv.suits(new Window(18, 18, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 9, 9), 1, 64, 64), "stride 2");
        assertFalse(WinogradConv.suits(new Window(18, 18, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 17, 17), 1, 64, 64),
                "asymmetric pads");
        assertFalse(WinogradConv.suits(new Window(18, 18, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 20, 20), 1, 64, 64), "pad 2");
        assertTrue(Blas.inferenceKernels().contains(WinogradConv.rule()), Blas.inferenceKernels());
    }

    /** The vector transforms, row splits and interleaves give their scalar twins' bits (the JVMs without the Vector API). */
    @Test
    void theVectorLoopsGiveTheScalarBits() {
        if (!VectorSupport.AVAILABLE) {
            return;
        }
        SplittableRandom r = new SplittableRandom(37);
        for (int tiles : new int[] {1, 5, 16, 19, 75}) {
            int vl = VectorSupport.VL;
            int pw = (tiles + vl - 1) / vl * vl + vl;
            float[] phases = random(r, 8 * pw);
            int stride = 3 * pw;
            float[] vVec = new float[16 * stride];
            float[] vScalar = new float[16 * stride];
            WinogradTransforms.input(phases, 0, pw, tiles, vVec, 1, stride);
            WinogradTransforms.inputScalar(phases, 0, pw, tiles, vScalar, 1, stride);
            for (int xi = 0; xi < 16; xi++) {
                assertArrayEquals(Arrays.copyOfRange(vScalar, xi * stride + 1, xi * stride + 1 + tiles),
                        Arrays.copyOfRange(vVec, xi * stride + 1, xi * stride + 1 + tiles), "input " + tiles + " at " + xi);
            }
            float[] prod = random(r, 16 * stride + vl);
            float[] outVec = new float[4 * pw];
            float[] outScalar = new float[4 * pw];
            WinogradTransforms.output(prod, 2, stride, tiles, outVec, pw);
            WinogradTransforms.outputScalar(prod, 2, stride, tiles, outScalar, pw);
            for (int p = 0; p < 4; p++) {
                assertArrayEquals(Arrays.copyOfRange(outScalar, p * pw, p * pw + tiles),
                        Arrays.copyOfRange(outVec, p * pw, p * pw + tiles), "output " + tiles + " phase " + p);
            }
            for (int len : new int[] {2 * tiles, 2 * tiles - 1}) {
                float[] x = random(r, len + 3);
                float[] a = new float[2 * pw];
                float[] b = new float[2 * pw];
                VectorLoops.deinterleave(x, 3, len, a, 0, pw);
                WinogradTransforms.deinterleaveScalar(x, 3, len, b, 0, pw);
                assertArrayEquals(b, a, "split " + len);
                float[] ya = new float[len + 5];
                float[] yb = new float[len + 5];
                VectorLoops.interleave(outVec, 0, outVec, pw, len / 2, ya, 5);
                WinogradTransforms.interleaveScalar(outVec, 0, pw, len / 2, yb, 5);
                assertArrayEquals(yb, ya, "interleave " + len);
            }
        }
    }
}
