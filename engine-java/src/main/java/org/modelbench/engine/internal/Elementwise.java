package org.modelbench.engine.internal;

import org.modelbench.api.RunContext;
import org.modelbench.engine.kernels.Sgemm;

/**
 * The hot element-wise loops of the layers, on the Vector API when {@link Sgemm} uses it (same
 * results lane by lane), else scalar.
 */
final class Elementwise {
    private Elementwise() {
    }

    /** {@code x[i] = relu(x[i] + bias)} over {@code [off, off + len)}, where {@code relu(v) = v > 0 ? v : 0}. */
    static void biasRelu(float[] x, int off, int len, float bias) {
        if (Sgemm.vectorized()) {
            VectorElementwise.biasRelu(x, off, len, bias);
            return;
        }
        for (int i = off; i < off + len; i++) {
            float v = x[i] + bias;
            x[i] = v > 0 ? v : 0f;
        }
    }

    /** {@code dst[dstOff + i] += src[srcOff + i]} for {@code i < len}. */
    static void addInto(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        if (Sgemm.vectorized()) {
            VectorElementwise.addInto(src, srcOff, dst, dstOff, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    /**
     * {@code dst[dstOff + r * dstStride + i] += src[srcOff + r * srcStride + i]} for {@code r < rows},
     * {@code i < len}: row by row, each element once, so the bits are those of {@link #addInto} per row.
     */
    static void addRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows,
                        int len) {
        if (Sgemm.vectorized()) {
            VectorElementwise.addRows(src, srcOff, srcStride, dst, dstOff, dstStride, rows, len);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcStride;
            int d = dstOff + r * dstStride;
            for (int i = 0; i < len; i++) {
                dst[d + i] += src[s + i];
            }
        }
    }

    /** {@code dst[dstOff + r * dstStride + i] = src[srcOff + r * srcStride + i]} for {@code r < rows}, {@code i < len}. */
    static void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows,
                         int len) {
        if (Sgemm.vectorized() && len >= VectorElementwise.LANES) {
            VectorElementwise.copyRows(src, srcOff, srcStride, dst, dstOff, dstStride, rows, len);
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * dstStride, len);
        }
    }

    /**
     * One Adam step on elements {@code [from, to)} (Keras' formulas): {@code gi = g + l2x2 * w},
     * {@code m = beta1 * m + (1 - beta1) * gi}, {@code v = beta2 * v + (1 - beta2) * gi * gi},
     * {@code w -= rate * m / (sqrt(v) + epsilon)}, the stored {@code m}, {@code v} and {@code w} flushed
     * to zero below {@link Float#MIN_NORMAL}. The vector and scalar versions give the same bits.
     */
    static void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float l2x2, float beta1,
                     float beta2, float rate, float epsilon) {
        if (Sgemm.vectorized()) {
            VectorElementwise.adam(w, g, m, v, from, to, l2x2, beta1, beta2, rate, epsilon);
            return;
        }
        adamScalar(w, g, m, v, from, to, l2x2, beta1, beta2, rate, epsilon);
    }

    static void adamScalar(float[] w, float[] g, float[] m, float[] v, int from, int to, float l2x2, float beta1,
                           float beta2, float rate, float epsilon) {
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        for (int i = from; i < to; i++) {
            float gi = g[i] + l2x2 * w[i];
            float mi = beta1 * m[i] + oneMinusBeta1 * gi;
            float vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
            m[i] = flush(mi);
            v[i] = flush(vi);
            w[i] = flush(w[i] - rate * mi / ((float) Math.sqrt(vi) + epsilon));
        }
    }

    /** The odd constant (2^64 / golden ratio) that spaces the dropout hash's inputs. */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /**
     * Inverted dropout on elements {@code [from, to)}: element {@code i} is kept ({@code mask[i] = scale},
     * else 0) when {@code RunContext.mix(seed + i * GOLDEN) >>> 11 >= threshold}, and
     * {@code y[i] = x[i] * mask[i]}.
     */
    static void dropout(float[] x, float[] y, float[] mask, int from, int to, long seed, long threshold, float scale) {
        if (Sgemm.vectorized()) {
            VectorElementwise.dropout(x, y, mask, from, to, seed, threshold, scale);
            return;
        }
        dropoutScalar(x, y, mask, from, to, seed, threshold, scale);
    }

    static void dropoutScalar(float[] x, float[] y, float[] mask, int from, int to, long seed, long threshold,
                              float scale) {
        for (int i = from; i < to; i++) {
            float keep = (RunContext.mix(seed + i * GOLDEN) >>> 11) >= threshold ? scale : 0f;
            mask[i] = keep;
            y[i] = x[i] * keep;
        }
    }

    /** {@code v}, or 0 when it is subnormal (they slow CPU arithmetic many-fold). */
    static float flush(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? 0f : v;
    }

    /** The ReLU backward into another array: {@code dst[dstOff + i] = y[off + i] > 0 ? g[off + i] : 0}. */
    static void reluBackwardInto(float[] y, float[] g, int off, float[] dst, int dstOff, int len) {
        if (Sgemm.vectorized()) {
            VectorElementwise.reluBackwardInto(y, g, off, dst, dstOff, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = y[off + i] > 0 ? g[off + i] : 0f;
        }
    }

    /**
     * Row blocks of {@link #reluBackwardInto}: {@code dst[dstOff + r * dstStride + i] = y[o] > 0 ? g[o] : 0}
     * with {@code o = off + r * stride + i}, for {@code r < rows}, {@code i < len}.
     */
    static void reluBackwardRows(float[] y, float[] g, int off, int stride, float[] dst, int dstOff, int dstStride,
                                 int rows, int len) {
        if (Sgemm.vectorized() && len >= VectorElementwise.LANES) {
            VectorElementwise.reluBackwardRows(y, g, off, stride, dst, dstOff, dstStride, rows, len);
            return;
        }
        for (int r = 0; r < rows; r++) {
            reluBackwardInto(y, g, off + r * stride, dst, dstOff + r * dstStride, len);
        }
    }

    /**
     * {@code dst[dstOff + r * dstStride + i] = act(src[srcOff + r * srcStride + i] + bias)} for {@code r < rows},
     * {@code i < len}, where {@code act} is the ReLU of {@link #biasRelu} when {@code relu}, else the identity.
     */
    static void biasActivationRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride,
                                   int rows, int len, float bias, boolean relu) {
        if (Sgemm.vectorized() && len >= VectorElementwise.LANES) {
            VectorElementwise.biasActivationRows(src, srcOff, srcStride, dst, dstOff, dstStride, rows, len, bias, relu);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcStride;
            int d = dstOff + r * dstStride;
            for (int i = 0; i < len; i++) {
                float v = src[s + i] + bias;
                dst[d + i] = !relu || v > 0 ? v : 0f;
            }
        }
    }

    /** The ReLU backward in place: {@code g[i] = y[i] > 0 ? g[i] : 0} (y the ReLU's outputs). */
    static void reluBackward(float[] y, int yOff, float[] g, int gOff, int len) {
        if (Sgemm.vectorized()) {
            VectorElementwise.reluBackward(y, yOff, g, gOff, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            g[gOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0f;
        }
    }
}
