package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Winograd F(2x2,3x3) in training ({@link WinogradTraining}): the forward against a double-precision convolution,
 * the gradients against the im2col backward ({@link ConvGradients}) and against finite differences (the loss is
 * linear in the kernel and the input, so wide steps are exact up to rounding), pads 0 and 1 on odd and even
 * planes, a folded Relu, the same bits for 1 and 2 threads, accumulation into a gradient sink, and the rule.
 */
class WinogradTrainingTest {
    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }

    private static Window window(int plane, int pad) {
        int out = plane + 2 * pad - 2;
        return new Window(plane, plane, 3, 3, 1, 1, 1, 1, pad, pad, pad, pad, out, out);
    }

    /** The convolution in double: y[s][f][oy][ox] and, per element, the sum of its terms' magnitudes. */
    private static double[][] reference(Window g, int n, int c, int m, float[] x, float[] w, float[] b) {
        int outH = g.outH();
        int outW = g.outW();
        double[] y = new double[n * m * outH * outW];
        double[] mag = new double[y.length];
        for (int s = 0; s < n; s++) {
            for (int f = 0; f < m; f++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        double sum = b == null ? 0 : b[f];
                        double abs = b == null ? 0 : Math.abs(b[f]);
                        for (int ch = 0; ch < c; ch++) {
                            for (int ky = 0; ky < 3; ky++) {
                                int iy = oy - g.padTop() + ky;
                                for (int kx = 0; kx < 3; kx++) {
                                    int ix = ox - g.padLeft() + kx;
                                    if (iy < 0 || ix < 0 || iy >= g.inH() || ix >= g.inW()) {
                                        continue;
                                    }
                                    double t = (double) w[((f * c + ch) * 3 + ky) * 3 + kx]
                                            * x[((s * c + ch) * g.inH() + iy) * g.inW() + ix];
                                    sum += t;
                                    abs += Math.abs(t);
                                }
                            }
                        }
                        int o = ((s * m + f) * outH + oy) * outW + ox;
                        y[o] = sum;
                        mag[o] = abs;
                    }
                }
            }
        }
        return new double[][] {y, mag};
    }

    private static float[] forward(Window g, int n, int c, int m, float[] x, float[] w, float[] b, Epilogue e,
                                   int threads) {
        float[] v = new float[WinogradTraining.transformedSize(g, n, c)];
        return WinogradTraining.forward(g, n, c, m, x, WinogradTraining.kernelTransform(w, m, c, 1), v, b, e, threads);
    }

    @Test
    void forwardMatchesADoublePrecisionConvolution() {
        SplittableRandom r = new SplittableRandom(1);
        for (int pad : new int[] {0, 1}) {
            for (int plane : new int[] {9, 8, 5}) {
                int n = 3;
                int c = 24;
                int m = 10;
                Window g = window(plane, pad);
                float[] x = random(r, n * c * plane * plane, 1);
                float[] w = random(r, m * c * 9, 0.2);
                float[] b = random(r, m, 0.5);
                float[] y = forward(g, n, c, m, x, w, b, Epilogue.NONE, 1);
                double[][] ref = reference(g, n, c, m, x, w, b);
                assertEquals(ref[0].length, y.length);
                for (int k = 0; k < y.length; k++) {
                    assertEquals(ref[0][k], y[k], 1e-5 * ref[1][k] + 1e-6, "pad " + pad + ", plane " + plane + " [" + k + "]");
                }
                float[] relu = forward(g, n, c, m, x, w, b, Epilogue.RELU, 1);
                for (int k = 0; k < y.length; k++) {
                    assertEquals(Math.max(0f, y[k]), relu[k], "relu [" + k + "]");
                }
            }
        }
    }

    /** The gradients of the im2col path (the engine's Java SGEMM, per-sample order) for the same layer. */
    private static float[][] im2colGradients(Window g, int n, int c, int m, float[] x, float[] w, float[] dy,
                                             float[] mask) {
        WindowKernels.ConvPlan p = new WindowKernels.ConvPlan(g, n, c, m, c, m, c * 9, g.outH() * g.outW(),
                g.inH() * g.inW());
        float[] dw = new float[w.length];
        float[] db = new float[m];
        float[] dx = new float[x.length];
        ConvGradients.backward(p, 1, x, w, dy, mask, null, dw, false, db, dx, Blas::gemm, 1);
        return new float[][] {dw, db, dx};
    }

    private static float[][] winogradGradients(Window g, int n, int c, int m, float[] x, float[] w, float[] v,
                                               float[] dy, float[] mask, int threads) {
        float[] dw = new float[w.length];
        float[] db = new float[m];
        float[] dx = new float[x.length];
        WinogradTraining.backward(g, n, c, m, x, WinogradTraining.kernelTransform(w, m, c, 1), v, dy, mask, dw, false,
                db, dx, threads);
        return new float[][] {dw, db, dx};
    }

    private static void assertClose(float[] want, float[] got, double relative, String what) {
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(want, got, (float) (relative * scale), what);
    }

    @Test
    void gradientsMatchTheIm2colBackwardWithAndWithoutAFoldedRelu() {
        SplittableRandom r = new SplittableRandom(2);
        for (int pad : new int[] {0, 1}) {
            for (int plane : new int[] {9, 6}) {
                for (boolean relu : new boolean[] {false, true}) {
                    int n = 4;
                    int c = 32;
                    int m = 16;
                    Window g = window(plane, pad);
                    float[] x = random(r, n * c * plane * plane, 1);
                    float[] w = random(r, m * c * 9, 0.1);
                    float[] b = random(r, m, 0.1);
                    float[] v = new float[WinogradTraining.transformedSize(g, n, c)];
                    float[] y = WinogradTraining.forward(g, n, c, m, x, WinogradTraining.kernelTransform(w, m, c, 1), v, b,
                            relu ? Epilogue.RELU : Epilogue.NONE, 1);
                    float[] mask = relu ? y : null;
                    float[] dy = random(r, y.length, 1);
                    float[][] want = im2colGradients(g, n, c, m, x, w, dy, mask);
                    float[][] kept = winogradGradients(g, n, c, m, x, w, v, dy, mask, 1);
                    float[][] fresh = winogradGradients(g, n, c, m, x, w, null, dy, mask, 1);
                    String what = "pad " + pad + ", plane " + plane + ", relu " + relu;
                    assertClose(want[0], kept[0], 1e-5, "dW, " + what);
                    assertClose(want[1], kept[1], 1e-6, "db, " + what);
                    assertClose(want[2], kept[2], 1e-5, "dX, " + what);
                    for (int k = 0; k < 3; k++) {
                        assertArrayEquals(kept[k], fresh[k], "kept or transformed again, " + what);
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        for (int pad : new int[] {0, 1}) {
            int n = 2;
            int c = 4;
            int m = 3;
            int plane = 5;
            Window g = window(plane, pad);
            float[] x = random(r, n * c * plane * plane, 1);
            float[] w = random(r, m * c * 9, 0.5);
            float[] b = random(r, m, 0.5);
            int outLen = n * m * g.outH() * g.outW();
            float[] weights = random(r, outLen, 1);
            float[][] grads = winogradGradients(g, n, c, m, x, w, null, weights, null, 1);
            // the loss sum(weights * y) is linear in w, b and x: a step of 0.5 is exact up to rounding
            float h = 0.5f;
            float[][] params = {w, b, x};
            int checked = 0;
            for (int which = 0; which < 3; which++) {
                float[] p = params[which];
                for (int k = 0; k < p.length; k += 1 + p.length / 23) {
                    float keep = p[k];
                    p[k] = keep + h;
                    double up = loss(forward(g, n, c, m, x, w, b, Epilogue.NONE, 1), weights);
                    p[k] = keep - h;
                    double down = loss(forward(g, n, c, m, x, w, b, Epilogue.NONE, 1), weights);
                    p[k] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, grads[which][k], 1e-4 + 1e-4 * Math.abs(numeric),
                            "pad " + pad + ", parameter " + which + " [" + k + "]");
                    checked++;
                }
            }
            assertTrue(checked > 40, "checked " + checked);
        }
    }

    private static double loss(float[] y, float[] weights) {
        double sum = 0;
        for (int k = 0; k < y.length; k++) {
            sum += (double) weights[k] * y[k];
        }
        return sum;
    }

    @Test
    void oneAndTwoThreadsGiveTheSameBitsAndTheSinkAccumulates() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 4;
        int c = 128;
        int m = 128;
        Window g = window(9, 1);
        float[] x = random(r, n * c * 81, 1);
        float[] w = random(r, m * c * 9, 0.03);
        float[] b = random(r, m, 0.1);
        float[] u = WinogradTraining.kernelTransform(w, m, c, 1);
        assertArrayEquals(u, WinogradTraining.kernelTransform(w, m, c, 2), "kernel transform");
        float[] v1 = new float[WinogradTraining.transformedSize(g, n, c)];
        float[] v2 = new float[v1.length];
        float[] y1 = WinogradTraining.forward(g, n, c, m, x, u, v1, b, Epilogue.RELU, 1);
        float[] y2 = WinogradTraining.forward(g, n, c, m, x, u, v2, b, Epilogue.RELU, 2);
        assertArrayEquals(y1, y2, "forward");
        assertArrayEquals(v1, v2, "transformed input");
        float[] dy = random(r, y1.length, 1);
        float[][] one = winogradGradients(g, n, c, m, x, w, v1, dy, y1, 1);
        float[][] two = winogradGradients(g, n, c, m, x, w, v2, dy, y2, 2);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(one[k], two[k], "gradient " + k);
        }
        // into a sink that holds a previous gradient: the sum, element by element
        float[] sink = random(r, w.length, 1);
        float[] want = sink.clone();
        for (int k = 0; k < want.length; k++) {
            want[k] += one[0][k];
        }
        WinogradTraining.backward(g, n, c, m, x, u, v1, dy, y1, sink, true, null, null, 2);
        assertArrayEquals(want, sink, "accumulated kernel gradient");
    }

    @Test
    void theRuleTakesWideThreeByThreeStrideOneConvolutionsOnly() {
        assertTrue(WinogradTraining.suits(window(9, 1), 1, 512, 512, 16));
        assertTrue(WinogradTraining.suits(window(9, 0), 1, 128, 256, 16));
        assertFalse(WinogradTraining.suits(window(9, 1), 1, 64, 512, 16), "few channels");
        assertFalse(WinogradTraining.suits(window(9, 1), 2, 512, 512, 16), "groups");
        assertFalse(WinogradTraining.suits(new Window(9, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 5, 5), 1, 512, 512, 16),
                "stride 2");
        assertFalse(WinogradTraining.suits(new Window(9, 9, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 9, 9), 1, 512, 512, 16),
                "1x1");
        assertFalse(WinogradTraining.suits(window(150, 1), 1, 512, 512, 16), "beyond the bound");
    }
}
