package org.modelbench.onnx.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The interpreter's Vector API loops (inference: convolution output passes, depthwise convolution,
 * max pooling, small-batch products). Only touched when {@link VectorSupport#AVAILABLE} (this class
 * does not even load without {@code jdk.incubator.vector}); each computes exactly the bits of its
 * scalar twin, lane by lane (same operations in the same order).
 */
final class VectorLoops {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorLoops() {
    }

    /** Floats per vector. */
    static int lanes() {
        return SPECIES.length();
    }

    /** {@link Epilogue#apply} in vectors, the scalar loop for the tail. */
    static void epilogue(Epilogue e, float[] y, int off, int len, boolean hasBias, float bias, float[] residual,
                         int resOff) {
        int vl = SPECIES.length();
        int full = len - len % vl;
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector b = FloatVector.broadcast(SPECIES, bias);
        FloatVector lo = FloatVector.broadcast(SPECIES, e.lo());
        FloatVector hi = FloatVector.broadcast(SPECIES, e.hi());
        for (int i = 0; i < full; i += vl) {
            FloatVector v = FloatVector.fromArray(SPECIES, y, off + i);
            if (hasBias) {
                v = v.add(b);
            }
            if (residual != null) {
                v = v.add(FloatVector.fromArray(SPECIES, residual, resOff + i));
            }
            switch (e.kind()) {
                case RELU -> {
                    VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
                    v = zero.blend(v, positive);
                }
                case CLIP -> v = v.max(lo).min(hi);
                case NONE -> {
                }
            }
            v.intoArray(y, off + i);
        }
        e.scalar(y, off, full, len, hasBias, bias, residual, resOff);
    }

    /**
     * One depthwise output plane in the flat layout of {@link PlanePhases}: {@code out[q] = chain of
     * fma(w[t], x[q + tapOffset[t]], acc)} over the taps {@code t} from +0, for {@code q < len}
     * rounded up to whole vectors ({@code out} and {@code x} are long enough).
     */
    static void depthwisePlane(float[] x, int[] tapOffset, float[] w, int wOff, float[] out, int len) {
        int vl = SPECIES.length();
        int taps = tapOffset.length;
        if (taps == 9) {
            plane3x3(x, tapOffset, w, wOff, out, len);
            return;
        }
        for (int q = 0; q < len; q += vl) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int t = 0; t < taps; t++) {
                acc = FloatVector.broadcast(SPECIES, w[wOff + t]).fma(FloatVector.fromArray(SPECIES, x, q + tapOffset[t]),
                        acc);
            }
            acc.intoArray(out, q);
        }
    }

    private static void plane3x3(float[] x, int[] o, float[] w, int wOff, float[] out, int len) {
        int vl = SPECIES.length();
        FloatVector w0 = FloatVector.broadcast(SPECIES, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(SPECIES, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(SPECIES, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(SPECIES, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(SPECIES, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(SPECIES, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(SPECIES, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(SPECIES, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(SPECIES, w[wOff + 8]);
        int o0 = o[0];
        int o1 = o[1];
        int o2 = o[2];
        int o3 = o[3];
        int o4 = o[4];
        int o5 = o[5];
        int o6 = o[6];
        int o7 = o[7];
        int o8 = o[8];
        FloatVector zero = FloatVector.zero(SPECIES);
        int q = 0;
        // two independent chains per step (the fma latency), then single vectors
        for (; q + 2 * vl <= len; q += 2 * vl) {
            int r = q + vl;
            FloatVector a = w0.fma(FloatVector.fromArray(SPECIES, x, q + o0), zero);
            FloatVector c = w0.fma(FloatVector.fromArray(SPECIES, x, r + o0), zero);
            a = w1.fma(FloatVector.fromArray(SPECIES, x, q + o1), a);
            c = w1.fma(FloatVector.fromArray(SPECIES, x, r + o1), c);
            a = w2.fma(FloatVector.fromArray(SPECIES, x, q + o2), a);
            c = w2.fma(FloatVector.fromArray(SPECIES, x, r + o2), c);
            a = w3.fma(FloatVector.fromArray(SPECIES, x, q + o3), a);
            c = w3.fma(FloatVector.fromArray(SPECIES, x, r + o3), c);
            a = w4.fma(FloatVector.fromArray(SPECIES, x, q + o4), a);
            c = w4.fma(FloatVector.fromArray(SPECIES, x, r + o4), c);
            a = w5.fma(FloatVector.fromArray(SPECIES, x, q + o5), a);
            c = w5.fma(FloatVector.fromArray(SPECIES, x, r + o5), c);
            a = w6.fma(FloatVector.fromArray(SPECIES, x, q + o6), a);
            c = w6.fma(FloatVector.fromArray(SPECIES, x, r + o6), c);
            a = w7.fma(FloatVector.fromArray(SPECIES, x, q + o7), a);
            c = w7.fma(FloatVector.fromArray(SPECIES, x, r + o7), c);
            a = w8.fma(FloatVector.fromArray(SPECIES, x, q + o8), a);
            c = w8.fma(FloatVector.fromArray(SPECIES, x, r + o8), c);
            a.intoArray(out, q);
            c.intoArray(out, r);
        }
        for (; q < len; q += vl) {
            FloatVector a = w0.fma(FloatVector.fromArray(SPECIES, x, q + o0), zero);
            a = w1.fma(FloatVector.fromArray(SPECIES, x, q + o1), a);
            a = w2.fma(FloatVector.fromArray(SPECIES, x, q + o2), a);
            a = w3.fma(FloatVector.fromArray(SPECIES, x, q + o3), a);
            a = w4.fma(FloatVector.fromArray(SPECIES, x, q + o4), a);
            a = w5.fma(FloatVector.fromArray(SPECIES, x, q + o5), a);
            a = w6.fma(FloatVector.fromArray(SPECIES, x, q + o6), a);
            a = w7.fma(FloatVector.fromArray(SPECIES, x, q + o7), a);
            a = w8.fma(FloatVector.fromArray(SPECIES, x, q + o8), a);
            a.intoArray(out, q);
        }
    }

    /** {@code out[q] = max over t of x[q + tapOffset[t]]} from -infinity (see {@link #depthwisePlane}). */
    static void maxPlane(float[] x, int[] tapOffset, float[] out, int len) {
        int vl = SPECIES.length();
        FloatVector lowest = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int q = 0; q < len; q += vl) {
            FloatVector acc = lowest;
            for (int offset : tapOffset) {
                acc = acc.max(FloatVector.fromArray(SPECIES, x, q + offset));
            }
            acc.intoArray(out, q);
        }
    }

    /**
     * One output position of a channels-last depthwise convolution: {@code out[o + ch] = chain of
     * fma(w[t*channels + ch], x[base + tapOffset[t] + ch], acc)} from +0 for the channels of whole
     * vectors; returns how many channels it did.
     */
    static int channelRun(float[] x, int base, int[] tapOffset, float[] w, int channels, float[] out, int o) {
        int vl = SPECIES.length();
        int full = channels - channels % vl;
        for (int ch = 0; ch < full; ch += vl) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int t = 0; t < tapOffset.length; t++) {
                acc = FloatVector.fromArray(SPECIES, w, t * channels + ch)
                        .fma(FloatVector.fromArray(SPECIES, x, base + tapOffset[t] + ch), acc);
            }
            acc.intoArray(out, o + ch);
        }
        return full;
    }

    /**
     * Columns {@code [j0, j1)} (whole vectors) of {@code C[m x n] = A B^T} with A {@code [m x k]} and B
     * {@code [n x k]} row-major: each element the chain {@code fma(a[i][p], b[j][p], acc)} over
     * {@code p} ascending from +0, as SGEMM computes it. B is read by gathers across its rows, each
     * gathered vector serving eight rows of A, so that B is never transposed (a small batch times a
     * classifier's weights).
     */
    static void gemmTransposedB(int m, int n, int k, float[] a, float[] b, float[] c, int j0, int j1) {
        int vl = SPECIES.length();
        int[] rows = new int[vl];
        for (int l = 0; l < vl; l++) {
            rows[l] = l * k;
        }
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            for (int j = j0; j < j1; j += vl) {
                FloatVector c0 = FloatVector.zero(SPECIES);
                FloatVector c1 = c0;
                FloatVector c2 = c0;
                FloatVector c3 = c0;
                FloatVector c4 = c0;
                FloatVector c5 = c0;
                FloatVector c6 = c0;
                FloatVector c7 = c0;
                int ai = i * k;
                for (int p = 0; p < k; p++, ai++) {
                    FloatVector bv = FloatVector.fromArray(SPECIES, b, j * k + p, rows, 0);
                    c0 = bv.fma(FloatVector.broadcast(SPECIES, a[ai]), c0);
                    c1 = bv.fma(FloatVector.broadcast(SPECIES, a[ai + k]), c1);
                    c2 = bv.fma(FloatVector.broadcast(SPECIES, a[ai + 2 * k]), c2);
                    c3 = bv.fma(FloatVector.broadcast(SPECIES, a[ai + 3 * k]), c3);
                    c4 = bv.fma(FloatVector.broadcast(SPECIES, a[ai + 4 * k]), c4);
                    c5 = bv.fma(FloatVector.broadcast(SPECIES, a[ai + 5 * k]), c5);
                    c6 = bv.fma(FloatVector.broadcast(SPECIES, a[ai + 6 * k]), c6);
                    c7 = bv.fma(FloatVector.broadcast(SPECIES, a[ai + 7 * k]), c7);
                }
                c0.intoArray(c, i * n + j);
                c1.intoArray(c, (i + 1) * n + j);
                c2.intoArray(c, (i + 2) * n + j);
                c3.intoArray(c, (i + 3) * n + j);
                c4.intoArray(c, (i + 4) * n + j);
                c5.intoArray(c, (i + 5) * n + j);
                c6.intoArray(c, (i + 6) * n + j);
                c7.intoArray(c, (i + 7) * n + j);
            }
        }
        for (; i < m; i++) {
            for (int j = j0; j < j1; j += vl) {
                FloatVector acc = FloatVector.zero(SPECIES);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.fromArray(SPECIES, b, j * k + p, rows, 0)
                            .fma(FloatVector.broadcast(SPECIES, a[i * k + p]), acc);
                }
                acc.intoArray(c, i * n + j);
            }
        }
    }
}
