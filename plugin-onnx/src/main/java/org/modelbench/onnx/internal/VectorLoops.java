package org.modelbench.onnx.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The interpreter's Vector API loops (inference: convolution output passes, Winograd transforms, depthwise convolution,
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
     * {@link Epilogue#apply} without a residual on {@code positions} rows of {@code channels} floats
     * (channels-last: {@code y[q * channels + ch]}), bias {@code b[ch]} (or none): vectors across the
     * channels, so that small planes (a 3x3 plane is all tail along its row) still run in vectors.
     * Lane by lane the operations of {@link #epilogue}: the same bits.
     */
    static void channelsLastEpilogue(Epilogue e, float[] y, int positions, int channels, float[] b) {
        int vl = SPECIES.length();
        int full = channels - channels % vl;
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector lo = FloatVector.broadcast(SPECIES, e.lo());
        FloatVector hi = FloatVector.broadcast(SPECIES, e.hi());
        for (int q = 0; q < positions; q++) {
            int row = q * channels;
            for (int ch = 0; ch < full; ch += vl) {
                FloatVector v = FloatVector.fromArray(SPECIES, y, row + ch);
                if (b != null) {
                    v = v.add(FloatVector.fromArray(SPECIES, b, ch));
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
                v.intoArray(y, row + ch);
            }
            for (int ch = full; ch < channels; ch++) {
                e.scalar(y, row + ch, 0, 1, b != null, b != null ? b[ch] : 0f, null, 0);
            }
        }
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

    /** {@link WinogradTransforms#input} in vectors across the tiles (whole vectors: may write past {@code tiles}). */
    static void winogradInput(float[] ph, int pOff, int pw, int tiles, float[] v, int vOff, int vStride) {
        int vl = SPECIES.length();
        int e0 = pOff;
        int e1 = e0 + 2 * pw;
        int e2 = e1 + 2 * pw;
        int e3 = e2 + 2 * pw;
        for (int tx = 0; tx < tiles; tx += vl) {
            // column 0: E[tx], 1: O[tx], 2: E[tx + 1], 3: O[tx + 1]; rows: t0 = d0 - d2, t1 = d1 + d2, t2 = d2 - d1, t3 = d1 - d3
            FloatVector a0 = FloatVector.fromArray(SPECIES, ph, e0 + tx);
            FloatVector a1 = FloatVector.fromArray(SPECIES, ph, e1 + tx);
            FloatVector a2 = FloatVector.fromArray(SPECIES, ph, e2 + tx);
            FloatVector a3 = FloatVector.fromArray(SPECIES, ph, e3 + tx);
            FloatVector b0 = FloatVector.fromArray(SPECIES, ph, e0 + pw + tx);
            FloatVector b1 = FloatVector.fromArray(SPECIES, ph, e1 + pw + tx);
            FloatVector b2 = FloatVector.fromArray(SPECIES, ph, e2 + pw + tx);
            FloatVector b3 = FloatVector.fromArray(SPECIES, ph, e3 + pw + tx);
            FloatVector c0 = FloatVector.fromArray(SPECIES, ph, e0 + tx + 1);
            FloatVector c1 = FloatVector.fromArray(SPECIES, ph, e1 + tx + 1);
            FloatVector c2 = FloatVector.fromArray(SPECIES, ph, e2 + tx + 1);
            FloatVector c3 = FloatVector.fromArray(SPECIES, ph, e3 + tx + 1);
            FloatVector d0 = FloatVector.fromArray(SPECIES, ph, e0 + pw + tx + 1);
            FloatVector d1 = FloatVector.fromArray(SPECIES, ph, e1 + pw + tx + 1);
            FloatVector d2 = FloatVector.fromArray(SPECIES, ph, e2 + pw + tx + 1);
            FloatVector d3 = FloatVector.fromArray(SPECIES, ph, e3 + pw + tx + 1);
            int o = vOff + tx;
            winogradInputRow(a0.sub(a2), b0.sub(b2), c0.sub(c2), d0.sub(d2), v, o, vStride);
            winogradInputRow(a1.add(a2), b1.add(b2), c1.add(c2), d1.add(d2), v, o + 4 * vStride, vStride);
            winogradInputRow(a2.sub(a1), b2.sub(b1), c2.sub(c1), d2.sub(d1), v, o + 8 * vStride, vStride);
            winogradInputRow(a1.sub(a3), b1.sub(b3), c1.sub(c3), d1.sub(d3), v, o + 12 * vStride, vStride);
        }
    }

    /** One row {@code i} of {@code (B^T d) B}: its four columns to {@code v[o + j * vStride]}. */
    private static void winogradInputRow(FloatVector t0, FloatVector t1, FloatVector t2, FloatVector t3, float[] v,
                                         int o, int vStride) {
        t0.sub(t2).intoArray(v, o);
        t1.add(t2).intoArray(v, o + vStride);
        t2.sub(t1).intoArray(v, o + 2 * vStride);
        t1.sub(t3).intoArray(v, o + 3 * vStride);
    }

    /** {@link WinogradTransforms#output} in vectors across the tiles (whole vectors: may read and write past {@code tiles}). */
    static void winogradOutput(float[] prod, int mOff, int ms, int tiles, float[] out, int pw) {
        int vl = SPECIES.length();
        for (int tx = 0; tx < tiles; tx += vl) {
            int o = mOff + tx;
            // per column j: s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j (m_ij at xi = 4 i + j)
            FloatVector m00 = FloatVector.fromArray(SPECIES, prod, o);
            FloatVector m10 = FloatVector.fromArray(SPECIES, prod, o + 4 * ms);
            FloatVector m20 = FloatVector.fromArray(SPECIES, prod, o + 8 * ms);
            FloatVector m30 = FloatVector.fromArray(SPECIES, prod, o + 12 * ms);
            FloatVector s00 = m00.add(m10).add(m20);
            FloatVector s10 = m10.sub(m20).sub(m30);
            FloatVector m01 = FloatVector.fromArray(SPECIES, prod, o + ms);
            FloatVector m11 = FloatVector.fromArray(SPECIES, prod, o + 5 * ms);
            FloatVector m21 = FloatVector.fromArray(SPECIES, prod, o + 9 * ms);
            FloatVector m31 = FloatVector.fromArray(SPECIES, prod, o + 13 * ms);
            FloatVector s01 = m01.add(m11).add(m21);
            FloatVector s11 = m11.sub(m21).sub(m31);
            FloatVector m02 = FloatVector.fromArray(SPECIES, prod, o + 2 * ms);
            FloatVector m12 = FloatVector.fromArray(SPECIES, prod, o + 6 * ms);
            FloatVector m22 = FloatVector.fromArray(SPECIES, prod, o + 10 * ms);
            FloatVector m32 = FloatVector.fromArray(SPECIES, prod, o + 14 * ms);
            FloatVector s02 = m02.add(m12).add(m22);
            FloatVector s12 = m12.sub(m22).sub(m32);
            FloatVector m03 = FloatVector.fromArray(SPECIES, prod, o + 3 * ms);
            FloatVector m13 = FloatVector.fromArray(SPECIES, prod, o + 7 * ms);
            FloatVector m23 = FloatVector.fromArray(SPECIES, prod, o + 11 * ms);
            FloatVector m33 = FloatVector.fromArray(SPECIES, prod, o + 15 * ms);
            FloatVector s03 = m03.add(m13).add(m23);
            FloatVector s13 = m13.sub(m23).sub(m33);
            s00.add(s01).add(s02).intoArray(out, tx);
            s01.sub(s02).sub(s03).intoArray(out, pw + tx);
            s10.add(s11).add(s12).intoArray(out, 2 * pw + tx);
            s11.sub(s12).sub(s13).intoArray(out, 3 * pw + tx);
        }
    }

    /** Lane {@code i}: {@code 2 i} (a stride-2 gather or scatter). */
    private static final int[] STRIDE_2 = stride2();

    private static int[] stride2() {
        int[] map = new int[SPECIES.length()];
        for (int i = 0; i < map.length; i++) {
            map[i] = 2 * i;
        }
        return map;
    }

    /**
     * {@code out[even + j] = x[src + 2 j]} for {@code j < (len + 1) / 2} and {@code out[odd + j] = x[src + 2 j + 1]}
     * for {@code j < len / 2}: a row split into its even and odd columns (stride-2 gathers, scalar tail).
     */
    static void deinterleave(float[] x, int src, int len, float[] out, int even, int odd) {
        int vl = SPECIES.length();
        int j = 0;
        for (; 2 * (j + vl) <= len; j += vl) {
            FloatVector.fromArray(SPECIES, x, src + 2 * j, STRIDE_2, 0).intoArray(out, even + j);
            FloatVector.fromArray(SPECIES, x, src + 2 * j + 1, STRIDE_2, 0).intoArray(out, odd + j);
        }
        for (; 2 * j < len; j++) {
            out[even + j] = x[src + 2 * j];
            if (2 * j + 1 < len) {
                out[odd + j] = x[src + 2 * j + 1];
            }
        }
    }

    /**
     * {@code y[o + 2 j] = left[l + j]}, {@code y[o + 2 j + 1] = right[r + j]} for {@code j < pairs}: two phase rows
     * interleaved into one (stride-2 scatters, scalar tail).
     */
    static void interleave(float[] left, int l, float[] right, int r, int pairs, float[] y, int o) {
        int vl = SPECIES.length();
        int j = 0;
        for (; j + vl <= pairs; j += vl) {
            FloatVector.fromArray(SPECIES, left, l + j).intoArray(y, o + 2 * j, STRIDE_2, 0);
            FloatVector.fromArray(SPECIES, right, r + j).intoArray(y, o + 2 * j + 1, STRIDE_2, 0);
        }
        for (; j < pairs; j++) {
            y[o + 2 * j] = left[l + j];
            y[o + 2 * j + 1] = right[r + j];
        }
    }
}
