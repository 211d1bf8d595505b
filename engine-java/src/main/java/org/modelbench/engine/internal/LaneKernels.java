package org.modelbench.engine.internal;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.modelbench.engine.kernels.Sgemm;

/**
 * Inference kernels on <em>lane-major</em> blocks: {@link #LANES} samples side by side, a CHW
 * activation stored as {@code block[((c * H + y) * W + x) * LANES + lane]}, so that one vector holds
 * the same cell of every sample and every kernel below is plain vector arithmetic with contiguous
 * loads and stores, whatever the image size.
 *
 * <p>Lanes never mix: each sample's results depend on its own lane only, so they are the same in
 * any block, at any batch size and for any thread count.
 *
 * <p>Winograd convolution F(4x4, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural
 * Networks", 2016): a 3x3 stride-1 convolution computed per 4x4 output tile from a 6x6 input tile,
 * {@code Y = A^T [(G g G^T) . (B^T d B)] A}, with 36 matrix products of filters x channels x tiles
 * (one per tile position) instead of one of filters x (9 channels) x cells: 4x fewer multiplies.
 * Its results differ from the direct convolution's by rounding only (relative 1e-6 typically).
 */
final class LaneKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Samples per block: the vector length. */
    static final int LANES = SPECIES.length();
    /** Winograd tiles per matrix-product block: four tiles of {@link #LANES} samples (one 4-vector panel). */
    static final int TILES_PER_BLOCK = 4;
    /** Floats of padding between the 36 matrices of a block, so that their rows do not share cache sets. */
    private static final int SKEW = 16;

    private LaneKernels() {
    }

    /**
     * Gathers samples {@code [first, first + count)} of {@code x} (each {@code size} floats) into a
     * lane-major block; lanes past {@code count} are zero.
     */
    static void toLanes(float[] x, int first, int count, int size, float[] block) {
        if (count < LANES) {
            Arrays.fill(block, 0, size * LANES, 0f);
        }
        for (int lane = 0; lane < count; lane++) {
            int src = (first + lane) * size;
            for (int e = 0, d = lane; e < size; e++, d += LANES) {
                block[d] = x[src + e];
            }
        }
    }

    /** Scatters the first {@code count} lanes of a block back to samples {@code [first, first + count)} of {@code y}. */
    static void fromLanes(float[] block, int size, float[] y, int first, int count) {
        // in strips of 64 cells, so that a strip's lanes stay in L1 while every sample takes its share
        for (int e0 = 0; e0 < size; e0 += 64) {
            int e1 = Math.min(size, e0 + 64);
            for (int lane = 0; lane < count; lane++) {
                int dst = (first + lane) * size;
                for (int e = e0; e < e1; e++) {
                    y[dst + e] = block[e * LANES + lane];
                }
            }
        }
    }

    /**
     * Stores {@code v + bias}, then ReLU ({@code v > 0 ? v : 0}, as {@link Elementwise#biasRelu}) when {@code relu},
     * at {@code out[off]}. Each branch stores its own vector: a vector chosen by {@code relu ? a : b} is a merge
     * of two vector objects, which C2 (JDK 17) materialises on the heap (130 MB per seed CNN batch of 1000).
     */
    private static void activateInto(FloatVector v, float bias, boolean relu, FloatVector zero, float[] out, int off) {
        FloatVector z = v.add(bias);
        if (relu) {
            zero.blend(z, z.compare(VectorOperators.GT, 0f)).intoArray(out, off);
        } else {
            z.intoArray(out, off);
        }
    }

    /**
     * Direct convolution (groups 1, dilation 1, any kernel, stride and padding) with fused bias and
     * ReLU: for each output cell, {@code acc = fma(w, x, acc)} over (channel, row, column) ascending
     * from zero, skipping padded taps, then {@code acc + bias}: the im2col + SGEMM path's arithmetic.
     */
    static void directConv(float[] in, WindowGeometry g, float[] w, float[] bias, int filters, boolean relu,
                           float[] out) {
        int c = g.channels();
        int h = g.inH();
        int wd = g.inW();
        int kh = g.kh();
        int kw = g.kw();
        int taps = c * kh * kw;
        int outH = g.outH();
        int outW = g.outW();
        // each tap's cell relative to the window's top-left cell, in (channel, row, column) order
        int[] offsets = new int[taps];
        for (int ch = 0, t = 0; ch < c; ch++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, t++) {
                    offsets[t] = ((ch * h + ky) * wd + kx) * LANES;
                }
            }
        }
        FloatVector zero = FloatVector.zero(SPECIES);
        int f4 = filters - filters % 4;
        for (int oy = 0; oy < outH; oy++) {
            int iy0 = oy * g.sh() - g.padTop();
            for (int ox = 0; ox < outW; ox++) {
                int ix0 = ox * g.sw() - g.padLeft();
                if (iy0 < 0 || ix0 < 0 || iy0 + kh > h || ix0 + kw > wd) {
                    for (int f = 0; f < filters; f++) {
                        directConvEdge(in, g, w, f, iy0, ix0, bias, relu, out, ((f * outH + oy) * outW + ox) * LANES);
                    }
                    continue;
                }
                int base = (iy0 * wd + ix0) * LANES;
                int cell = (oy * outW + ox) * LANES;
                int plane = outH * outW * LANES;
                for (int f = 0; f < f4; f += 4) {
                    FloatVector a0 = zero;
                    FloatVector a1 = zero;
                    FloatVector a2 = zero;
                    FloatVector a3 = zero;
                    int w0 = f * taps;
                    for (int t = 0; t < taps; t++) {
                        FloatVector x = FloatVector.fromArray(SPECIES, in, base + offsets[t]);
                        a0 = x.fma(FloatVector.broadcast(SPECIES, w[w0 + t]), a0);
                        a1 = x.fma(FloatVector.broadcast(SPECIES, w[w0 + taps + t]), a1);
                        a2 = x.fma(FloatVector.broadcast(SPECIES, w[w0 + 2 * taps + t]), a2);
                        a3 = x.fma(FloatVector.broadcast(SPECIES, w[w0 + 3 * taps + t]), a3);
                    }
                    int o = f * plane + cell;
                    activateInto(a0, bias == null ? 0f : bias[f], relu, zero, out, o);
                    activateInto(a1, bias == null ? 0f : bias[f + 1], relu, zero, out, o + plane);
                    activateInto(a2, bias == null ? 0f : bias[f + 2], relu, zero, out, o + 2 * plane);
                    activateInto(a3, bias == null ? 0f : bias[f + 3], relu, zero, out, o + 3 * plane);
                }
                for (int f = f4; f < filters; f++) {
                    FloatVector acc = zero;
                    for (int t = 0; t < taps; t++) {
                        acc = FloatVector.fromArray(SPECIES, in, base + offsets[t])
                                .fma(FloatVector.broadcast(SPECIES, w[f * taps + t]), acc);
                    }
                    activateInto(acc, bias == null ? 0f : bias[f], relu, zero, out, f * plane + cell);
                }
            }
        }
    }

    /** One output cell of filter {@code f} whose window reaches into the padding (padded taps skipped). */
    private static void directConvEdge(float[] in, WindowGeometry g, float[] w, int f, int iy0, int ix0,
                                       float[] bias, boolean relu, float[] out, int o) {
        int c = g.channels();
        int h = g.inH();
        int wd = g.inW();
        int kh = g.kh();
        int kw = g.kw();
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector acc = zero;
        for (int ch = 0; ch < c; ch++) {
            for (int ky = 0; ky < kh; ky++) {
                int iy = iy0 + ky;
                if (iy < 0 || iy >= h) {
                    continue;
                }
                int row = (ch * h + iy) * wd;
                int wk = ((f * c + ch) * kh + ky) * kw;
                for (int kx = 0; kx < kw; kx++) {
                    int ix = ix0 + kx;
                    if (ix >= 0 && ix < wd) {
                        acc = FloatVector.fromArray(SPECIES, in, (row + ix) * LANES)
                                .fma(FloatVector.broadcast(SPECIES, w[wk + kx]), acc);
                    }
                }
            }
        }
        activateInto(acc, bias == null ? 0f : bias[f], relu, zero, out, o);
    }

    /** 2x2 max pooling with stride 2 (floor at odd sizes), {@code Math.max} semantics per lane. */
    static void maxPoolTwoByTwo(float[] in, int channels, int h, int w, float[] out) {
        int oh = h / 2;
        int ow = w / 2;
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < oh; oy++) {
                int r0 = (c * h + 2 * oy) * w;
                int r1 = r0 + w;
                int o = (c * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    FloatVector a = FloatVector.fromArray(SPECIES, in, (r0 + 2 * ox) * LANES);
                    FloatVector b = FloatVector.fromArray(SPECIES, in, (r0 + 2 * ox + 1) * LANES);
                    FloatVector d = FloatVector.fromArray(SPECIES, in, (r1 + 2 * ox) * LANES);
                    FloatVector e = FloatVector.fromArray(SPECIES, in, (r1 + 2 * ox + 1) * LANES);
                    a.max(b).max(d.max(e)).intoArray(out, (o + ox) * LANES);
                }
            }
        }
    }

    /**
     * The Winograd-domain kernel {@code U = G g G^T} of every (filter, channel), laid out as 36
     * matrices {@code [position][filter][channel]} (computed in double, rounded once).
     */
    static float[] winogradWeights(float[] kernel, int filters, int channels) {
        double[][] gm = {
            {1 / 4d, 0, 0}, {-1 / 6d, -1 / 6d, -1 / 6d}, {-1 / 6d, 1 / 6d, -1 / 6d},
            {1 / 24d, 1 / 12d, 1 / 6d}, {1 / 24d, -1 / 12d, 1 / 6d}, {0, 0, 1}};
        float[] u = new float[36 * filters * channels];
        double[] tmp = new double[18];
        for (int f = 0; f < filters; f++) {
            for (int c = 0; c < channels; c++) {
                int k = (f * channels + c) * 9;
                for (int i = 0; i < 6; i++) {
                    for (int col = 0; col < 3; col++) {
                        tmp[i * 3 + col] = gm[i][0] * kernel[k + col] + gm[i][1] * kernel[k + 3 + col]
                                + gm[i][2] * kernel[k + 6 + col];
                    }
                }
                for (int i = 0; i < 6; i++) {
                    for (int j = 0; j < 6; j++) {
                        double v = tmp[i * 3] * gm[j][0] + tmp[i * 3 + 1] * gm[j][1] + tmp[i * 3 + 2] * gm[j][2];
                        u[((i * 6 + j) * filters + f) * channels + c] = (float) v;
                    }
                }
            }
        }
        return u;
    }

    /** Per-thread buffers of the Winograd convolution. */
    static final class WinogradScratch {
        float[] v = new float[0];
        float[] m = new float[0];
        final float[] patch = new float[36 * LANES];
        final float[] t = new float[36 * LANES];
        final float[] y = new float[16 * LANES];

        void ensure(int vSize, int mSize) {
            if (v.length < vSize) {
                v = new float[vSize];
            }
            if (m.length < mSize) {
                m = new float[mSize];
            }
        }
    }

    /**
     * A 3x3 stride-1 convolution (groups 1, dilation 1, any padding) by Winograd F(4x4, 3x3) with
     * fused bias and ReLU and, with {@code pool}, fused 2x2 stride-2 max pooling (ReLU and the bias
     * commute with the maximum, so the pooled output is {@code act(max(y) + bias)}).
     *
     * @param u the kernel from {@link #winogradWeights}
     * @param out {@code [F][outH][outW]} lanes, or {@code [F][outH / 2][outW / 2]} with {@code pool}
     */
    static void winogradConv(float[] in, WindowGeometry g, float[] u, float[] bias, int filters, boolean relu,
                             boolean pool, float[] out, WinogradScratch s) {
        int channels = g.channels();
        int outH = g.outH();
        int outW = g.outW();
        int tilesW = (outW + 3) / 4;
        int tiles = ((outH + 3) / 4) * tilesW;
        int maxN = TILES_PER_BLOCK * LANES;
        int vStride = channels * maxN + SKEW;
        int mStride = filters * maxN + SKEW;
        s.ensure(36 * vStride, 36 * mStride);
        float[] v = s.v;
        float[] m = s.m;
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int t0 = 0; t0 < tiles; t0 += TILES_PER_BLOCK) {
            int nt = Math.min(TILES_PER_BLOCK, tiles - t0);
            int n = nt * LANES;
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < nt; k++) {
                    int tile = t0 + k;
                    inputTransform(in, g, c, (tile / tilesW) * 4 - g.padTop(), (tile % tilesW) * 4 - g.padLeft(),
                            v, c * n + k * LANES, vStride, s);
                }
            }
            // the Java kernels: their columns (here: lanes, that is samples) never mix, OpenBLAS's may round by position
            for (int xi = 0; xi < 36; xi++) {
                Sgemm.javaGemm(false, false, filters, n, channels, u, xi * filters * channels, channels,
                        v, xi * vStride, n, m, xi * mStride, n, false, 1);
            }
            for (int f = 0; f < filters; f++) {
                float b = bias == null ? 0f : bias[f];
                for (int k = 0; k < nt; k++) {
                    int tile = t0 + k;
                    outputTransform(m, f * n + k * LANES, mStride, s.t, s.y);
                    int ty = (tile / tilesW) * 4;
                    int tx = (tile % tilesW) * 4;
                    if (pool) {
                        int ph = outH / 2;
                        int pw = outW / 2;
                        for (int i = 0; i < 2; i++) {
                            int py = ty / 2 + i;
                            if (py >= ph) {
                                break;
                            }
                            for (int j = 0; j < 2; j++) {
                                int px = tx / 2 + j;
                                if (px >= pw) {
                                    break;
                                }
                                int y0 = (2 * i * 4 + 2 * j) * LANES;
                                FloatVector a = FloatVector.fromArray(SPECIES, s.y, y0);
                                FloatVector b1 = FloatVector.fromArray(SPECIES, s.y, y0 + LANES);
                                FloatVector c1 = FloatVector.fromArray(SPECIES, s.y, y0 + 4 * LANES);
                                FloatVector d1 = FloatVector.fromArray(SPECIES, s.y, y0 + 5 * LANES);
                                // by hand, not activateInto: this large method does not inline it, and the
                                // vector argument would then be boxed on the heap for every cell
                                FloatVector z = a.max(b1).max(c1.max(d1)).add(b);
                                int o = ((f * ph + py) * pw + px) * LANES;
                                if (relu) {
                                    zero.blend(z, z.compare(VectorOperators.GT, 0f)).intoArray(out, o);
                                } else {
                                    z.intoArray(out, o);
                                }
                            }
                        }
                    } else {
                        for (int i = 0; i < 4 && ty + i < outH; i++) {
                            for (int j = 0; j < 4 && tx + j < outW; j++) {
                                FloatVector z = FloatVector.fromArray(SPECIES, s.y, (i * 4 + j) * LANES).add(b);
                                int o = ((f * outH + ty + i) * outW + tx + j) * LANES;
                                if (relu) {
                                    zero.blend(z, z.compare(VectorOperators.GT, 0f)).intoArray(out, o);
                                } else {
                                    z.intoArray(out, o);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code B^T d B} of channel {@code c}'s 6x6 input tile at {@code (y0, x0)} (cells outside the
     * input are 0), stored as {@code v[xi * vStride + vOff]} for the 36 positions {@code xi}.
     */
    private static void inputTransform(float[] in, WindowGeometry g, int c, int y0, int x0, float[] v, int vOff,
                                       int vStride, WinogradScratch s) {
        int h = g.inH();
        int w = g.inW();
        float[] src;
        int base;
        int rowStride;
        if (y0 >= 0 && x0 >= 0 && y0 + 6 <= h && x0 + 6 <= w) {
            src = in;
            base = ((c * h + y0) * w + x0) * LANES;
            rowStride = w * LANES;
        } else {
            src = s.patch;
            base = 0;
            rowStride = 6 * LANES;
            Arrays.fill(src, 0f);
            for (int r = 0; r < 6; r++) {
                int iy = y0 + r;
                if (iy < 0 || iy >= h) {
                    continue;
                }
                for (int q = 0; q < 6; q++) {
                    int ix = x0 + q;
                    if (ix >= 0 && ix < w) {
                        System.arraycopy(in, ((c * h + iy) * w + ix) * LANES, src, (r * 6 + q) * LANES, LANES);
                    }
                }
            }
        }
        // columns: t[i][q] = (B^T d)[i][q]; then rows: v[i][j] = (t B)[i][j]
        for (int q = 0; q < 6; q++) {
            inputTransform1d(src, base + q * LANES, rowStride, s.t, q * LANES, 6 * LANES);
        }
        for (int i = 0; i < 6; i++) {
            inputTransform1d(s.t, i * 6 * LANES, LANES, v, vOff + 6 * i * vStride, vStride);
        }
    }

    /** The 1-D input transform {@code B^T d} of six vectors at {@code src[s0 + k * ss]} into {@code dst[d0 + k * ds]}. */
    private static void inputTransform1d(float[] src, int s0, int ss, float[] dst, int d0, int ds) {
        FloatVector d0v = FloatVector.fromArray(SPECIES, src, s0);
        FloatVector d1 = FloatVector.fromArray(SPECIES, src, s0 + ss);
        FloatVector d2 = FloatVector.fromArray(SPECIES, src, s0 + 2 * ss);
        FloatVector d3 = FloatVector.fromArray(SPECIES, src, s0 + 3 * ss);
        FloatVector d4 = FloatVector.fromArray(SPECIES, src, s0 + 4 * ss);
        FloatVector d5 = FloatVector.fromArray(SPECIES, src, s0 + 5 * ss);
        FloatVector four = FloatVector.broadcast(SPECIES, 4f);
        FloatVector minusFour = FloatVector.broadcast(SPECIES, -4f);
        FloatVector minusFive = FloatVector.broadcast(SPECIES, -5f);
        FloatVector two = FloatVector.broadcast(SPECIES, 2f);
        FloatVector minusTwo = FloatVector.broadcast(SPECIES, -2f);
        FloatVector s42 = d4.sub(d2);
        FloatVector s31 = d3.sub(d1);
        d0v.fma(four, d2.fma(minusFive, d4)).intoArray(dst, d0);
        d1.add(d2).fma(minusFour, d3.add(d4)).intoArray(dst, d0 + ds);
        d1.sub(d2).fma(four, d4.sub(d3)).intoArray(dst, d0 + 2 * ds);
        s31.fma(two, s42).intoArray(dst, d0 + 3 * ds);
        s31.fma(minusTwo, s42).intoArray(dst, d0 + 4 * ds);
        d1.fma(four, d3.fma(minusFive, d5)).intoArray(dst, d0 + 5 * ds);
    }

    /** {@code A^T m A} of the 36 vectors {@code m[xi * mStride + mOff]}: the 4x4 output tile into {@code y[(i * 4 + j) * LANES]}. */
    private static void outputTransform(float[] m, int mOff, int mStride, float[] t, float[] y) {
        // columns: t[i][j] = (A^T m)[i][j] (4x6); then rows: y[i][j] = (t A)[i][j]
        for (int j = 0; j < 6; j++) {
            outputTransform1d(m, mOff + j * mStride, 6 * mStride, t, j * LANES, 6 * LANES);
        }
        for (int i = 0; i < 4; i++) {
            outputTransform1d(t, i * 6 * LANES, LANES, y, i * 4 * LANES, LANES);
        }
    }

    /** The 1-D output transform {@code A^T m} of six vectors at {@code src[s0 + k * ss]} into four at {@code dst[d0 + k * ds]}. */
    private static void outputTransform1d(float[] src, int s0, int ss, float[] dst, int d0, int ds) {
        FloatVector m0 = FloatVector.fromArray(SPECIES, src, s0);
        FloatVector m1 = FloatVector.fromArray(SPECIES, src, s0 + ss);
        FloatVector m2 = FloatVector.fromArray(SPECIES, src, s0 + 2 * ss);
        FloatVector m3 = FloatVector.fromArray(SPECIES, src, s0 + 3 * ss);
        FloatVector m4 = FloatVector.fromArray(SPECIES, src, s0 + 4 * ss);
        FloatVector m5 = FloatVector.fromArray(SPECIES, src, s0 + 5 * ss);
        FloatVector a = m1.add(m2);
        FloatVector b = m1.sub(m2);
        FloatVector c = m3.add(m4);
        FloatVector d = m3.sub(m4);
        m0.add(a).add(c).intoArray(dst, d0);
        d.fma(FloatVector.broadcast(SPECIES, 2f), b).intoArray(dst, d0 + ds);
        c.fma(FloatVector.broadcast(SPECIES, 4f), a).intoArray(dst, d0 + 2 * ds);
        d.fma(FloatVector.broadcast(SPECIES, 8f), b).add(m5).intoArray(dst, d0 + 3 * ds);
    }
}
