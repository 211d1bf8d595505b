package org.modelbench.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modelbench.api.Layer;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * The convolution on maps large enough to run in several bands of output rows (64x64x64 with a 3x3
 * kernel unfolds to 576 x 63 x 63 floats, 3 bands of at most 2^20), padded (im2col) and unpadded (the
 * training path in full input rows): forward, kernel, bias and input gradients against a direct
 * double-precision convolution, and the same bits for 1 and 2 threads.
 */
class Conv2DLayerTest {
    private static final int N = 2;

    @Test
    void bandedForwardAndBackwardMatchADirectConvolution() {
        // padding: top 1, bottom 0, left 0, right 1 (unfolded by im2col)
        checkAgainstDirect(List.of(1, 0, 0, 1));
    }

    @Test
    void bandedForwardAndBackwardInFullInputRowsMatchADirectConvolution() {
        // stride 1 and no padding: training unfolds in full input rows
        checkAgainstDirect(List.of(0, 0, 0, 0));
    }

    private static void checkAgainstDirect(List<Integer> padding) {
        int pt = padding.get(0);
        int pl = padding.get(2);
        Layer conv = GradientCheckTest.layer("conv2d", Map.of("filters", 6, "kernel", 3, "padding", padding,
                "activation", "relu"), Shape.of(64, 64, 64));
        int f = 6;
        int c = 64;
        int h = 64;
        int w = 64;
        int oh = h + pt + padding.get(1) - 2;
        int ow = w + pl + padding.get(3) - 2;
        assertTrue((long) c * 9 * oh * ow > 2L * Conv2DLayer.BAND_FLOATS, "the unfolding needs 3 bands");
        Tensor x = GradientCheckTest.random(Shape.of(N, c, h, w), 3, false);
        Tensor dy = GradientCheckTest.random(Shape.of(N, f, oh, ow), 4, false);
        float[] k = conv.parameters().get(0).value().data();
        float[] b = conv.parameters().get(1).value().data();
        for (int i = 0; i < f; i++) {
            b[i] = 0.01f * (i % 7 - 3);
        }
        LayerContext training = new LayerContext(true, 1, 2);
        float[] y = conv.forward(x, training).data().clone();
        float[] dx = conv.backward(dy, training).data().clone();
        double[] yRef = new double[N * f * oh * ow];
        double[] dxRef = new double[N * c * h * w];
        double[] dkRef = new double[k.length];
        double[] dbRef = new double[f];
        float[] xs = x.data();
        float[] g = dy.data();
        for (int s = 0; s < N; s++) {
            for (int fi = 0; fi < f; fi++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = b[fi];
                        for (int ci = 0; ci < c; ci++) {
                            for (int i = 0; i < 3; i++) {
                                int iy = oy - pt + i;
                                for (int j = 0; j < 3; j++) {
                                    int ix = ox - pl + j;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        sum += (double) k[((fi * c + ci) * 3 + i) * 3 + j] * xs[((s * c + ci) * h + iy) * w + ix];
                                    }
                                }
                            }
                        }
                        int o = ((s * f + fi) * oh + oy) * ow + ox;
                        yRef[o] = Math.max(0, sum);
                        double dz = sum > 0 ? g[o] : 0;
                        dbRef[fi] += dz;
                        for (int ci = 0; ci < c; ci++) {
                            for (int i = 0; i < 3; i++) {
                                int iy = oy - pt + i;
                                for (int j = 0; j < 3; j++) {
                                    int ix = ox - pl + j;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        int kk = ((fi * c + ci) * 3 + i) * 3 + j;
                                        int xi = ((s * c + ci) * h + iy) * w + ix;
                                        dkRef[kk] += dz * xs[xi];
                                        dxRef[xi] += dz * k[kk];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertClose("output", y, yRef, 1e-5);
        assertClose("input gradient", dx, dxRef, 1e-5);
        assertClose("kernel gradient", conv.parameters().get(0).gradient().data(), dkRef, 1e-5);
        assertClose("bias gradient", conv.parameters().get(1).gradient().data(), dbRef, 1e-5);

        // one thread: the same bits
        float[][] grads = conv.parameters().stream().map(p -> p.gradient().data().clone()).toArray(float[][]::new);
        for (Parameter p : conv.parameters()) {
            java.util.Arrays.fill(p.gradient().data(), 0f);
        }
        LayerContext oneThread = new LayerContext(true, 1, 1);
        assertArrayEquals(y, conv.forward(x, oneThread).data());
        assertArrayEquals(dx, conv.backward(dy, oneThread).data());
        for (int i = 0; i < grads.length; i++) {
            assertArrayEquals(grads[i], conv.parameters().get(i).gradient().data(), "parameter " + i);
        }
    }

    private static void assertClose(String what, float[] actual, double[] expected, double relative) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertTrue(scale > 0, what + " is all zero");
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], relative * scale + 1e-6, what + " element " + i);
        }
    }
}
