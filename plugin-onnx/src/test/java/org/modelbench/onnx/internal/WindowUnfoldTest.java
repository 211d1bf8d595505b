package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * im2col and col2im against their definitions, element by element, on the geometries with a fast
 * path (stride 1, as many output as input columns: whole shifted rows) and on others: the same bits.
 */
class WindowUnfoldTest {

    /** Windows: {inH, inW, kh, kw, sh, sw, dh, dw, padTop, padLeft, padBottom, padRight}. */
    private static final int[][] GEOMETRIES = {
        {9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},     // VGG's 3x3 pad 1 (shifted rows)
        {7, 6, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2},     // 5x5 pad 2 (shifted rows)
        {6, 8, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2},     // dilation 2, pad 2 (shifted rows)
        {5, 7, 3, 3, 1, 1, 1, 1, 0, 0, 2, 2},     // padding at the end only (shifted rows)
        {4, 4, 3, 3, 1, 1, 1, 1, 3, 3, 3, 3},     // padding wider than the kernel reach: empty taps
        {1, 11, 1, 3, 1, 1, 1, 1, 0, 1, 0, 1},    // 1-D (shifted rows)
        {9, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},     // stride 2 (general loop)
        {9, 9, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0},     // no padding: fewer output columns (general loop)
    };

    private static Window window(int[] q) {
        int outH = (q[0] + q[8] + q[10] - q[6] * (q[2] - 1) - 1) / q[4] + 1;
        int outW = (q[1] + q[9] + q[11] - q[7] * (q[3] - 1) - 1) / q[5] + 1;
        return new Window(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], outH, outW);
    }

    @Test
    void unfoldingAndItsAdjointMatchTheDefinition() {
        SplittableRandom r = new SplittableRandom(3);
        for (int[] q : GEOMETRIES) {
            Window g = window(q);
            int channels = 3;
            int samples = 2;
            int plane = g.inH() * g.inW();
            int outPlane = g.outH() * g.outW();
            int rows = channels * g.kh() * g.kw();
            int stride = samples * outPlane + 5;
            float[] x = new float[samples * channels * plane];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] col = new float[rows * stride];
            java.util.Arrays.fill(col, Float.NaN);
            float[] want = col.clone();
            float[] cols = new float[rows * stride];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = (float) r.nextGaussian();
            }
            float[] dx = new float[x.length];
            float[] dxWant = new float[x.length];
            for (int s = 0; s < samples; s++) {
                g.im2col(x, s * channels * plane, channels, col, s * outPlane, stride);
                g.col2im(cols.clone(), s * outPlane, stride, channels, dx, s * channels * plane);
                int row = 0;
                for (int c = 0; c < channels; c++) {
                    for (int ky = 0; ky < g.kh(); ky++) {
                        for (int kx = 0; kx < g.kw(); kx++, row++) {
                            for (int oy = 0; oy < g.outH(); oy++) {
                                for (int ox = 0; ox < g.outW(); ox++) {
                                    int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                                    int ix = ox * g.sw() - g.padLeft() + kx * g.dw();
                                    boolean inside = iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW();
                                    int at = row * stride + s * outPlane + oy * g.outW() + ox;
                                    int xi = (s * channels + c) * plane + iy * g.inW() + ix;
                                    want[at] = inside ? x[xi] : 0f;
                                    if (inside) {
                                        dxWant[xi] += cols[at];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            String where = java.util.Arrays.toString(q);
            assertArrayEquals(want, col, "im2col " + where);
            assertArrayEquals(dxWant, dx, "col2im " + where);
            assertTrue(g.outW() > 0, where);
        }
    }

    @Test
    void wholeBlocksOfSamplesGiveThePerSampleBits() {
        SplittableRandom r = new SplittableRandom(4);
        int blocks = 0;
        for (int[] q : GEOMETRIES) {
            Window g = window(q);
            if (!g.samePlane()) {
                continue;
            }
            blocks++;
            int channels = 3;
            int samples = 4;
            int plane = g.inH() * g.inW();
            int span = samples * plane;
            int rows = channels * g.kh() * g.kw();
            float[] x = new float[samples * channels * plane];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] xt = new float[x.length];
            for (int s = 0; s < samples; s++) {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(x, (s * channels + c) * plane, xt, (c * samples + s) * plane, plane);
                }
            }
            float[] want = new float[rows * span];
            float[] col = new float[rows * span];
            java.util.Arrays.fill(col, Float.NaN);
            float[] cols = new float[rows * span];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = (float) r.nextGaussian();
            }
            float[] dxWant = new float[x.length];
            for (int s = 0; s < samples; s++) {
                g.im2col(x, s * channels * plane, channels, want, s * plane, span);
                g.col2im(cols.clone(), s * plane, span, channels, dxWant, s * channels * plane);
            }
            g.im2colBlock(xt, 0, channels, samples, col, 0);
            float[] dxt = new float[x.length];
            g.col2imBlock(cols.clone(), 0, channels, samples, dxt, 0);
            float[] dx = new float[x.length];
            for (int s = 0; s < samples; s++) {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(dxt, (c * samples + s) * plane, dx, (s * channels + c) * plane, plane);
                }
            }
            String where = java.util.Arrays.toString(q);
            assertArrayEquals(want, col, "im2colBlock " + where);
            assertArrayEquals(dxWant, dx, "col2imBlock " + where);
        }
        assertTrue(blocks >= 4, "same-plane geometries: " + blocks);
    }
    @Test
    void stride2UnfoldingFromColumnPhasesWritesEveryCellAsIm2colDoes() {
        SplittableRandom r = new SplittableRandom(5);
        int[][] strided = {
            {9, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},     // ResNet's 3x3 stride 2 pad 1
            {12, 12, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3},   // ResNet's stem: 7x7 stride 2 pad 3
            {10, 11, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0},   // 1x1 stride 2 (downsample), odd width
            {6, 5, 3, 3, 1, 2, 1, 1, 2, 2, 1, 0},     // asymmetric padding, stride 2 along rows only
        };
        for (int[] q : strided) {
            Window g = window(q);
            int channels = 3;
            int samples = 2;
            int plane = g.inH() * g.inW();
            int outPlane = g.outH() * g.outW();
            int stride = samples * outPlane + 3;
            float[] x = new float[samples * channels * plane];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] want = new float[channels * g.kh() * g.kw() * stride];
            java.util.Arrays.fill(want, Float.NaN);
            float[] col = want.clone();
            for (int s = 0; s < samples; s++) {
                g.im2col(x, s * channels * plane, channels, want, s * outPlane, stride);
                ConvForward.unfold(g, true, x, s * channels * plane, channels, col, s * outPlane, stride);
            }
            assertArrayEquals(want, col, "phased unfold " + java.util.Arrays.toString(q));
        }
    }
}
