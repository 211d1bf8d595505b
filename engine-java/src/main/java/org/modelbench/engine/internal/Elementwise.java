package org.modelbench.engine.internal;

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
