package org.modelbench.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API element-wise kernels give the scalar formulas' bits: Adam (with subnormal
 * flushing and special values) and the row-block add and copy of im2col/col2im.
 */
class ElementwiseTest {
    private static float[] random(int n, long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble(-scale, scale);
        }
        return a;
    }

    @Test
    void adamVectorMatchesTheScalarFormulaBitForBit() {
        int n = 1003;
        float[] w = random(n, 1, 1f);
        float[] g = random(n, 2, 1e-2f);
        float[] m = random(n, 3, 1e-3f);
        float[] v = random(n, 4, 1e-3f);
        for (int i = 0; i < n; i++) {
            v[i] = Math.abs(v[i]);
        }
        // subnormal-bound values, zeros of both signs and a NaN gradient
        w[5] = 1e-39f;
        g[5] = 0f;
        m[5] = 0f;
        v[5] = 0f;
        w[17] = -0f;
        g[17] = -0f;
        g[40] = Float.NaN;
        m[41] = 2e-38f;
        g[41] = -2e-38f;
        float[][] scalar = {w.clone(), g.clone(), m.clone(), v.clone()};
        float[][] vector = {w.clone(), g.clone(), m.clone(), v.clone()};
        Elementwise.adamScalar(scalar[0], scalar[1], scalar[2], scalar[3], 3, n, 2e-4f, 0.9f, 0.999f, 1e-3f, 1e-7f);
        VectorElementwise.adam(vector[0], vector[1], vector[2], vector[3], 3, n, 2e-4f, 0.9f, 0.999f, 1e-3f, 1e-7f);
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(scalar[k][i]), Float.floatToRawIntBits(vector[k][i]),
                        "array " + k + " element " + i);
            }
        }
        assertEquals(0f, scalar[0][5], "a subnormal weight is flushed");
        assertTrue(Float.isNaN(scalar[0][40]), "NaN propagates");
        assertEquals(w[0], vector[0][0], "elements before 'from' are untouched");
    }

    @Test
    void reluBackwardIntoMasksByTheOutputs() {
        int n = 77;
        float[] y = random(n + 3, 6, 1f);
        float[] g = random(n + 3, 7, 1f);
        y[10] = Float.NaN;
        y[11] = 0f;
        float[] dst = new float[n + 1];
        Elementwise.reluBackwardInto(y, g, 3, dst, 1, n);
        for (int i = 0; i < n; i++) {
            assertEquals(y[3 + i] > 0 ? g[3 + i] : 0f, dst[1 + i], "element " + i);
        }
        assertEquals(0f, dst[0]);
    }

    @Test
    void rowBlocksAddAndCopyLikeOneRowAtATime() {
        for (int len : new int[] {1, 7, 8, 15, 16, 24, 26, 33, 676}) {
            int rows = 5;
            int srcStride = len + 3;
            int dstStride = len + 11;
            float[] src = random(rows * srcStride + 2, len, 1f);
            float[] dst = random(rows * dstStride + 4, len + 1, 1f);
            float[] expectAdd = dst.clone();
            float[] expectCopy = dst.clone();
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < len; i++) {
                    expectAdd[4 + r * dstStride + i] += src[2 + r * srcStride + i];
                    expectCopy[4 + r * dstStride + i] = src[2 + r * srcStride + i];
                }
            }
            float[] add = dst.clone();
            Elementwise.addRows(src, 2, srcStride, add, 4, dstStride, rows, len);
            assertArrayEquals(expectAdd, add, "add, rows of " + len);
            float[] copy = dst.clone();
            Elementwise.copyRows(src, 2, srcStride, copy, 4, dstStride, rows, len);
            assertArrayEquals(expectCopy, copy, "copy, rows of " + len);
        }
    }

    @Test
    void dropoutVectorMatchesTheScalarFormulaBitForBit() {
        int n = 1 << 16;
        float[] x = random(n, 8, 3f);
        x[100] = Float.POSITIVE_INFINITY;
        x[101] = Float.NaN;
        for (float rate : new float[] {0.25f, 0.5f, 0.9f}) {
            long threshold = (long) Math.ceil(rate * 0x1.0p53);
            float scale = 1f / (1f - rate);
            for (int[] range : new int[][] {{0, n}, {64, 64 + 1000}, {3, 40}}) {
                float[] ys = new float[n];
                float[] ms = new float[n];
                float[] yv = new float[n];
                float[] mv = new float[n];
                Elementwise.dropoutScalar(x, ys, ms, range[0], range[1], 77, threshold, scale);
                VectorElementwise.dropout(x, yv, mv, range[0], range[1], 77, threshold, scale);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToRawIntBits(ms[i]), Float.floatToRawIntBits(mv[i]), "mask " + i);
                    assertEquals(Float.floatToRawIntBits(ys[i]), Float.floatToRawIntBits(yv[i]), "output " + i);
                }
            }
        }
    }
}
