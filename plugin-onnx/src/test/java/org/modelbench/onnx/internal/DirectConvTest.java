package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The direct depthwise and pointwise convolutions give im2col + SGEMM's bits, forward and backward. */
class DirectConvTest {

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(7) == 0 ? 0f : (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    /** A window over {@code h x w} with the given kernel, stride, dilation and symmetric padding. */
    private static Window window(int h, int w, int k, int stride, int dilation, int pad) {
        int extent = dilation * (k - 1) + 1;
        return new Window(h, w, k, k, stride, stride, dilation, dilation, pad, pad, pad, pad,
                (h + 2 * pad - extent) / stride + 1, (w + 2 * pad - extent) / stride + 1);
    }

    @Test
    void depthwiseMatchesIm2colAndSgemmBitForBit() {
        int n = 3;
        int c = 5;
        Window[] windows = {window(9, 11, 3, 1, 1, 1), window(9, 11, 3, 2, 1, 1), window(10, 7, 3, 1, 2, 2),
            window(12, 12, 5, 2, 1, 2), window(6, 8, 3, 1, 1, 0), window(5, 5, 3, 3, 1, 4)};
        for (Window g : windows) {
            for (int mg : new int[] {1, 2}) {
                int m = c * mg;
                int taps = g.kh() * g.kw();
                int inPlane = g.inH() * g.inW();
                int outPlane = g.outH() * g.outW();
                float[] x = random(n * c * inPlane, 1);
                float[] w = random(m * taps, 2);
                float[] dy = random(n * m * outPlane, 3);
                float[] y = new float[n * m * outPlane];
                float[] yRef = new float[y.length];
                float[] col = new float[taps * outPlane];
                float[] dcol = new float[taps * outPlane];
                float[] dw = new float[w.length];
                float[] dwRef = new float[w.length];
                float[] dx = new float[x.length];
                float[] dxRef = new float[x.length];
                for (int s = 0; s < n; s++) {
                    for (int gi = 0; gi < c; gi++) {
                        int xOff = (s * c + gi) * inPlane;
                        int yOff = (s * m + gi * mg) * outPlane;
                        g.im2col(x, xOff, 1, col);
                        Blas.gemm(false, false, mg, outPlane, taps, w, gi * mg * taps, col, 0, yRef, yOff, false, 1);
                        Blas.gemm(false, true, mg, taps, outPlane, dy, yOff, col, 0, dwRef, gi * mg * taps, true, 1);
                        Blas.gemm(true, false, taps, outPlane, mg, w, gi * mg * taps, dy, yOff, dcol, 0, false, 1);
                        g.col2im(dcol, 1, dxRef, xOff);
                        DirectConv.depthwiseForward(g, x, xOff, w, gi * mg * taps, mg, y, yOff);
                    }
                }
                for (int gi = 0; gi < c; gi++) {
                    DirectConv.depthwiseBackward(g, n, x, gi * inPlane, c * inPlane, w, gi * mg * taps, mg, dy,
                            gi * mg * outPlane, m * outPlane, dw, dx);
                }
                String what = g + " filters per group " + mg;
                assertArrayEquals(yRef, y, "forward " + what);
                assertArrayEquals(dwRef, dw, "kernel gradient " + what);
                assertArrayEquals(dxRef, dx, "input gradient " + what);
            }
        }
    }

    @Test
    void onlyUnpaddedUnitStrideOneByOneIsPointwise() {
        assertTrue(DirectConv.pointwise(window(7, 7, 1, 1, 1, 0)));
        assertFalse(DirectConv.pointwise(window(7, 7, 1, 2, 1, 0)));
        assertFalse(DirectConv.pointwise(window(7, 7, 1, 1, 1, 1)));
        assertFalse(DirectConv.pointwise(window(7, 7, 3, 1, 1, 1)));
    }
}
