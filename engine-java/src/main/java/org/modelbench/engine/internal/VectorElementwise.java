package org.modelbench.engine.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the element-wise loops that dominate the engine's memory traffic, with
 * exactly the scalar semantics of {@link Elementwise} (NaN included), lane by lane.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per preferred vector. */
    static final int LANES = S.length();
    /** The dropout hash's lanes. */
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;

    private VectorElementwise() {
    }

    /** {@code x[i] = x[i] + bias}, then ReLU ({@code v > 0 ? v : 0}). */
    static void biasRelu(float[] x, int off, int len, float bias) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, off + i).add(bias);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(x, off + i);
        }
        for (; i < len; i++) {
            float v = x[off + i] + bias;
            x[off + i] = v > 0 ? v : 0f;
        }
    }

    /** {@code dst[dstOff + i] += src[srcOff + i]}: full vectors, then scalars. */
    static void addInto(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        int i = 0;
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            FloatVector.fromArray(S, dst, dstOff + i).add(FloatVector.fromArray(S, src, srcOff + i))
                    .intoArray(dst, dstOff + i);
        }
        for (; i < len; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    /**
     * Row-block add: full vectors, then scalars, per row (short rows such as a 24-wide feature map
     * row need no call per row). Only the preferred species is used: a second vector shape in the
     * same JVM made C2 box the SGEMM kernels' vectors (measured: 3x slower training).
     */
    static void addRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows,
                        int len) {
        int full = S.loopBound(len);
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcStride;
            int d = dstOff + r * dstStride;
            for (int i = 0; i < full; i += S.length()) {
                FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
            }
            for (int i = full; i < len; i++) {
                dst[d + i] += src[s + i];
            }
        }
    }

    /** Row-block copy of rows at least {@link #LANES} long: full vectors, the last one overlapping the previous. */
    static void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows,
                         int len) {
        int last = len - S.length();
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcStride;
            int d = dstOff + r * dstStride;
            for (int i = 0; i < last; i += S.length()) {
                FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
            }
            FloatVector.fromArray(S, src, s + last).intoArray(dst, d + last);
        }
    }

    /** {@link Elementwise#adam}: full vectors, then the scalar formula for the tail. */
    static void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float l2x2, float beta1,
                     float beta2, float rate, float epsilon) {
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector wi = FloatVector.fromArray(S, w, i);
            FloatVector gi = FloatVector.fromArray(S, g, i).add(wi.mul(l2x2));
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            flush(mi, zero).intoArray(m, i);
            flush(vi, zero).intoArray(v, i);
            FloatVector step = mi.mul(rate).div(vi.lanewise(VectorOperators.SQRT).add(epsilon));
            flush(wi.sub(step), zero).intoArray(w, i);
        }
        Elementwise.adamScalar(w, g, m, v, i, to, l2x2, beta1, beta2, rate, epsilon);
    }

    private static FloatVector flush(FloatVector x, FloatVector zero) {
        return x.blend(zero, x.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
    }

    /** {@code dst[dstOff + i] = y[off + i] > 0 ? g[off + i] : 0}. */
    static void reluBackwardInto(float[] y, float[] g, int off, float[] dst, int dstOff, int len) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            VectorMask<Float> on = FloatVector.fromArray(S, y, off + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, g, off + i), on).intoArray(dst, dstOff + i);
        }
        for (; i < len; i++) {
            dst[dstOff + i] = y[off + i] > 0 ? g[off + i] : 0f;
        }
    }

    /**
     * {@link Elementwise#reluBackwardRows} for rows at least {@link #LANES} long: full vectors, the last one
     * overlapping the previous (it writes the same values again).
     */
    static void reluBackwardRows(float[] y, float[] g, int off, int stride, float[] dst, int dstOff, int dstStride,
                                 int rows, int len) {
        FloatVector zero = FloatVector.zero(S);
        int last = len - S.length();
        for (int r = 0; r < rows; r++) {
            int o = off + r * stride;
            int d = dstOff + r * dstStride;
            for (int i = 0; ; i += S.length()) {
                int at = Math.min(i, last);
                VectorMask<Float> on = FloatVector.fromArray(S, y, o + at).compare(VectorOperators.GT, 0f);
                zero.blend(FloatVector.fromArray(S, g, o + at), on).intoArray(dst, d + at);
                if (at == last) {
                    break;
                }
            }
        }
    }

    /**
     * {@link Elementwise#biasActivationRows} for rows at least {@link #LANES} long: full vectors, the last one
     * overlapping the previous (it writes the same values again).
     */
    static void biasActivationRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride,
                                   int rows, int len, float bias, boolean relu) {
        FloatVector zero = FloatVector.zero(S);
        int last = len - S.length();
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcStride;
            int d = dstOff + r * dstStride;
            for (int i = 0; ; i += S.length()) {
                int at = Math.min(i, last);
                FloatVector v = FloatVector.fromArray(S, src, s + at).add(bias);
                // each branch stores its own vector: one chosen by relu ? a : b is put on the heap (JDK 17's C2)
                if (relu) {
                    zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(dst, d + at);
                } else {
                    v.intoArray(dst, d + at);
                }
                if (at == last) {
                    break;
                }
            }
        }
    }

    /** {@code g[i] = y[i] > 0 ? g[i] : 0}. */
    static void reluBackward(float[] y, int yOff, float[] g, int gOff, int len) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            VectorMask<Float> on = FloatVector.fromArray(S, y, yOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, g, gOff + i), on).intoArray(g, gOff + i);
        }
        for (; i < len; i++) {
            g[gOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0f;
        }
    }

    /**
     * {@link Elementwise#dropout}: the hashes {@code RunContext.mix(seed + i * GOLDEN) >>> 11} on long
     * lanes, then the comparison and the mask element by element (the scalar formula's bits).
     */
    static void dropout(float[] x, float[] y, float[] mask, int from, int to, long seed, long threshold, float scale) {
        long[] lanes = new long[L.length()];
        for (int j = 0; j < lanes.length; j++) {
            lanes[j] = j * Elementwise.GOLDEN;
        }
        LongVector z = LongVector.fromArray(L, lanes, 0).add(seed + from * Elementwise.GOLDEN);
        long step = L.length() * Elementwise.GOLDEN;
        int i = from;
        for (int upper = from + L.loopBound(to - from); i < upper; i += L.length()) {
            LongVector h = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
            h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 31)).lanewise(VectorOperators.LSHR, 11)
                    .intoArray(lanes, 0);
            for (int j = 0; j < lanes.length; j++) {
                float keep = lanes[j] >= threshold ? scale : 0f;
                mask[i + j] = keep;
                y[i + j] = x[i + j] * keep;
            }
            z = z.add(step);
        }
        Elementwise.dropoutScalar(x, y, mask, i, to, seed, threshold, scale);
    }
}
