package org.modelbench.onnx.internal;

/**
 * The input and output transforms of {@link WinogradConv} over one row of tiles: in vectors across the tiles
 * ({@link VectorLoops#winogradInput}, {@link VectorLoops#winogradOutput}) when {@link VectorSupport#AVAILABLE},
 * else these scalar loops, which compute the same bits (the same additions in the same order).
 *
 * <p>Input: a row of 4x4 tiles read from four padded input rows split into even and odd columns
 * ({@code E_k[j] = d_k[2j]}, {@code O_k[j] = d_k[2j + 1]}), so tile {@code tx}'s columns are
 * {@code E[tx], O[tx], E[tx + 1], O[tx + 1]}: unit-stride loads. {@code B^T d} (rows) first, then {@code (.) B}.
 * Output: {@code A^T m} (rows) first, then {@code (.) A}, into four phase rows (even and odd columns of the two
 * output rows) that {@link WinogradConv} interleaves.
 */
final class WinogradTransforms {
    private WinogradTransforms() {
    }

    /**
     * {@code v[xi * vStride + vOff + tx] = (B^T d B)[xi]} for the tiles {@code tx < tiles} of one tile row, its four
     * input rows' phases at {@code phases[pOff + (2 k + p) * pw]} ({@code k} the row, {@code p} the parity). The
     * vector loop writes whole vectors: up to {@code VL - 1} floats past each row of {@code v}.
     */
    static void input(float[] phases, int pOff, int pw, int tiles, float[] v, int vOff, int vStride) {
        if (VectorSupport.AVAILABLE) {
            VectorLoops.winogradInput(phases, pOff, pw, tiles, v, vOff, vStride);
        } else {
            inputScalar(phases, pOff, pw, tiles, v, vOff, vStride);
        }
    }

    /** {@link #input} in scalars. */
    static void inputScalar(float[] phases, int pOff, int pw, int tiles, float[] v, int vOff, int vStride) {
        int e0 = pOff;
        int o0 = e0 + pw;
        int e1 = o0 + pw;
        int o1 = e1 + pw;
        int e2 = o1 + pw;
        int o2 = e2 + pw;
        int e3 = o2 + pw;
        int o3 = e3 + pw;
        for (int tx = 0; tx < tiles; tx++) {
            // columns 0..3 of each row: E[tx], O[tx], E[tx + 1], O[tx + 1]
            float[] t = new float[16];
            for (int col = 0; col < 4; col++) {
                int at = tx + col / 2;
                int odd = col % 2 == 0 ? 0 : pw;
                float d0 = phases[e0 + odd + at];
                float d1 = phases[e1 + odd + at];
                float d2 = phases[e2 + odd + at];
                float d3 = phases[e3 + odd + at];
                t[col] = d0 - d2;
                t[4 + col] = d1 + d2;
                t[8 + col] = d2 - d1;
                t[12 + col] = d1 - d3;
            }
            for (int i = 0; i < 4; i++) {
                float c0 = t[4 * i];
                float c1 = t[4 * i + 1];
                float c2 = t[4 * i + 2];
                float c3 = t[4 * i + 3];
                v[(4 * i) * vStride + vOff + tx] = c0 - c2;
                v[(4 * i + 1) * vStride + vOff + tx] = c1 + c2;
                v[(4 * i + 2) * vStride + vOff + tx] = c2 - c1;
                v[(4 * i + 3) * vStride + vOff + tx] = c1 - c3;
            }
        }
    }

    /**
     * {@code out[(2 r + p) * pw + tx] = (A^T m A)[r][p]} for the tiles {@code tx < tiles} of one tile row, the
     * products at {@code prod[xi * mStride + mOff + tx]}. The vector loop reads and writes whole vectors (up to
     * {@code VL - 1} floats past the row).
     */
    static void output(float[] prod, int mOff, int mStride, int tiles, float[] out, int pw) {
        if (VectorSupport.AVAILABLE) {
            VectorLoops.winogradOutput(prod, mOff, mStride, tiles, out, pw);
        } else {
            outputScalar(prod, mOff, mStride, tiles, out, pw);
        }
    }

    /** {@link #output} in scalars. */
    static void outputScalar(float[] prod, int mOff, int mStride, int tiles, float[] out, int pw) {
        for (int tx = 0; tx < tiles; tx++) {
            float[] s = new float[8];
            for (int col = 0; col < 4; col++) {
                float m0 = prod[col * mStride + mOff + tx];
                float m1 = prod[(4 + col) * mStride + mOff + tx];
                float m2 = prod[(8 + col) * mStride + mOff + tx];
                float m3 = prod[(12 + col) * mStride + mOff + tx];
                s[col] = m0 + m1 + m2;
                s[4 + col] = m1 - m2 - m3;
            }
            for (int r = 0; r < 2; r++) {
                out[2 * r * pw + tx] = s[4 * r] + s[4 * r + 1] + s[4 * r + 2];
                out[(2 * r + 1) * pw + tx] = s[4 * r + 1] - s[4 * r + 2] - s[4 * r + 3];
            }
        }
    }

    /**
     * One input row {@code x[src .. src + len)} split into the even and odd columns of its padded row ({@code pad}
     * 0 or 1 zero columns on the left): {@code phases[even + j] = xpad[2 j]}, {@code phases[odd + j] = xpad[2 j + 1]}
     * (entries outside the input are left as they are: the caller zeroes them).
     */
    static void splitRow(float[] x, int src, int len, int pad, float[] phases, int even, int odd) {
        // x's even columns are the padded row's even phase (pad 0) or its odd one (pad 1), and the other way round
        int xEven = pad == 0 ? even : odd;
        int xOdd = pad == 0 ? odd : even + 1;
        if (VectorSupport.AVAILABLE) {
            VectorLoops.deinterleave(x, src, len, phases, xEven, xOdd);
        } else {
            deinterleaveScalar(x, src, len, phases, xEven, xOdd);
        }
    }

    /** {@link VectorLoops#deinterleave} in scalars. */
    static void deinterleaveScalar(float[] x, int src, int len, float[] out, int even, int odd) {
        for (int j = 0; 2 * j < len; j++) {
            out[even + j] = x[src + 2 * j];
            if (2 * j + 1 < len) {
                out[odd + j] = x[src + 2 * j + 1];
            }
        }
    }

    /** {@code y[o + 2 j] = out[left + j]}, {@code y[o + 2 j + 1] = out[right + j]} for {@code j < pairs}. */
    static void interleaveRow(float[] out, int left, int right, int pairs, float[] y, int o) {
        if (VectorSupport.AVAILABLE) {
            VectorLoops.interleave(out, left, out, right, pairs, y, o);
        } else {
            interleaveScalar(out, left, right, pairs, y, o);
        }
    }

    /** {@link #interleaveRow} in scalars. */
    static void interleaveScalar(float[] out, int left, int right, int pairs, float[] y, int o) {
        for (int j = 0; j < pairs; j++) {
            y[o + 2 * j] = out[left + j];
            y[o + 2 * j + 1] = out[right + j];
        }
    }
}
