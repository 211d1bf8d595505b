package org.modelbench.onnx.internal;

/**
 * The forward pass of Conv with its {@link Epilogue} (bias, residual, activation) applied while each
 * output block is still in cache. Depthwise convolutions run {@link ChannelsLastDepthwise} on small
 * planes, {@link PlanePhases} on others (or {@link DirectConv} for the shapes neither takes); 1x1
 * stride-1 unpadded ones multiply the input in place; others
 * unfold (im2col; stride 2 from the input's even and odd columns, so that every unfolded row is a
 * copy; large planes in bands of output rows, {@link #rowsPerProduct}) and call SGEMM.
 *
 * <p>Products: with OpenBLAS selected ({@link Blas#convPerSample()}) one product per sample and group (and band)
 * on OpenBLAS, its shape fixed by the layer, so a sample's bits depend on the layer alone, never on its batch or
 * the thread count; samples are spread over the threads. 3x3 stride-1 convolutions with many channels and tiles
 * ({@link WinogradConv#suits}) run {@link WinogradConv} per sample instead (other bits: another algorithm). On the Java kernel, several samples side by side in one
 * product when the output plane is small (the Java kernel's columns never depend on each other). Either way every
 * output has the bits of one im2col + {@link Blas#convGemm} per sample (and band) followed by the unfused nodes,
 * whatever the thread count and the grouping of samples. Convolutions with one input channel per group (depthwise)
 * never run on OpenBLAS: their outputs have the Java kernel's chain (fused multiply-adds over the taps in order).
 */
final class ConvForward {
    /** Each thread's unfolding buffers (columns, and the input's column phases), kept across calls. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private ConvForward() {
    }

    private static float[] scratch(int which, int size) {
        float[][] s = SCRATCH.get();
        if (s[which].length < size) {
            s[which] = new float[size];
        }
        return s[which];
    }

    /**
     * {@code y = epilogue(conv(x, w) + b (+ residual))} for X [N, C, H, W], W [M, C/group, kh, kw].
     *
     * @param b        the bias [M] or null
     * @param residual the residual addend with the output's dims, or null
     */
    static float[] forward(Window g, int group, int[] xDims, float[] x, int m, float[] w, float[] b, float[] residual,
                           Epilogue epilogue, int threads) {
        return forward(g, group, xDims, x, m, w, b, residual, epilogue, new WinogradConv.Filters(), threads);
    }

    /**
     * {@link #forward(Window, int, int[], float[], int, float[], float[], float[], Epilogue, int)} with the node's
     * {@code filters}, where {@link WinogradConv} keeps its transformed weights across calls.
     */
    static float[] forward(Window g, int group, int[] xDims, float[] x, int m, float[] w, float[] b, float[] residual,
                           Epilogue epilogue, WinogradConv.Filters filters, int threads) {
        int n = xDims[0];
        int c = xDims[1];
        int cg = c / group;
        int mg = m / group;
        int k = cg * g.kh() * g.kw();
        int outPlane = g.outH() * g.outW();
        int inPlane = g.inH() * g.inW();
        float[] y = BufferPool.floats(n * m * outPlane);
        if (cg == 1 && group > 1 && mg == 1 && ChannelsLastDepthwise.suits(g, c)) {
            ChannelsLastDepthwise direct = new ChannelsLastDepthwise(g, c, w);
            Blas.parallelRows(n, threads, (long) k * outPlane * m * n, s ->
                    direct.forward(x, s * c * inPlane, b, y, s * m * outPlane, residual, epilogue));
            return y;
        }
        if (cg == 1 && group > 1) {
            PlanePhases direct = PlanePhases.handles(g) ? PlanePhases.of(g) : null;
            Blas.parallelRows(n * group, threads, (long) k * outPlane * m * n, job -> {
                int s = job / group;
                int gi = job % group;
                int xOff = (s * c + gi) * inPlane;
                int yOff = (s * m + gi * mg) * outPlane;
                if (direct != null) {
                    direct.depthwise(x, xOff, w, gi * mg * k, mg, b, gi * mg, y, yOff, residual, epilogue);
                    return;
                }
                DirectConv.depthwiseForward(g, x, xOff, w, gi * mg * k, mg, y, yOff);
                for (int f = 0; f < mg; f++) {
                    int o = yOff + f * outPlane;
                    epilogue.apply(y, o, outPlane, b != null, b != null ? b[gi * mg + f] : 0f, residual, o);
                }
            });
            return y;
        }
        if (WinogradConv.suits(g, group, c, m)) {
            winograd(g, xDims, x, m, w, b, residual, epilogue, filters, threads, y);
            return y;
        }
        unfolded(g, group, xDims, x, m, w, b, residual, epilogue, threads, y);
        return y;
    }

    /**
     * The {@link WinogradConv} path of {@link #forward} into {@code y}: samples spread over the threads (each
     * sample's products on one thread, or on all of them when there are fewer samples than threads), whatever
     * {@link WinogradConv#suits} says (the per-layer measurements compare the two paths).
     */
    static void winograd(Window g, int[] xDims, float[] x, int m, float[] w, float[] b, float[] residual,
                         Epilogue epilogue, WinogradConv.Filters filters, int threads, float[] y) {
        int n = xDims[0];
        int c = xDims[1];
        int inPlane = g.inH() * g.inW();
        int outPlane = g.outH() * g.outW();
        WinogradConv wino = filters.transformed(g, w, m, c);
        int inner = n >= threads ? 1 : threads;
        Blas.parallelRows(n, inner == 1 ? threads : 1, 9L * c * outPlane * m * n, s ->
                wino.forwardSample(x, s * c * inPlane, b, y, s * m * outPlane, residual, epilogue, inner));
    }

    /**
     * The im2col (or in-place pointwise) path of {@link #forward} for a dense or grouped convolution into {@code y},
     * whatever {@link WinogradConv#suits} says (the per-layer measurements compare the two).
     */
    static void unfolded(Window g, int group, int[] xDims, float[] x, int m, float[] w, float[] b, float[] residual,
                         Epilogue epilogue, int threads, float[] y) {
        int n = xDims[0];
        int c = xDims[1];
        int cg = c / group;
        int mg = m / group;
        int k = cg * g.kh() * g.kw();
        int outPlane = g.outH() * g.outW();
        int inPlane = g.inH() * g.inW();
        // OpenBLAS (convPerSample): one product per sample and group, its shape fixed by the layer
        boolean perSample = Blas.convPerSample(outPlane);
        int per = perSample ? 1 : samplesPerProduct(n, k, outPlane, threads);
        int blocks = (n + per - 1) / per;
        int jobs = blocks * group;
        // Few jobs (one block, no groups): let the matrix product use the threads instead.
        int inner = jobs >= threads ? 1 : threads;
        boolean pointwise = DirectConv.pointwise(g);
        boolean phased = g.sw() == 2 && g.dw() == 1 && !pointwise;
        int band = rowsPerProduct(g, k);
        Blas.parallelRows(jobs, inner == 1 ? threads : 1, (long) k * outPlane * m * n, job -> {
            int s0 = job / group * per;
            int count = Math.min(per, n - s0);
            int gi = job % group;
            int xOff = (s0 * c + gi * cg) * inPlane;
            int yOff = (s0 * m + gi * mg) * outPlane;
            if (count == 1 && pointwise) {
                Blas.convGemm(perSample, mg, outPlane, k, w, gi * mg * k, x, xOff, outPlane, y, yOff, outPlane, inner);
            } else if (count == 1 && band >= g.outH()) {
                float[] col = scratch(0, k * outPlane);
                unfold(g, phased, x, xOff, cg, col, 0, outPlane);
                Blas.convGemm(perSample, mg, outPlane, k, w, gi * mg * k, col, 0, outPlane, y, yOff, outPlane, inner);
            } else if (count == 1) {
                // a large plane: bands of output rows, so that the unfolded band stays in cache for its product
                float[] col = scratch(0, k * band * g.outW());
                for (int oy0 = 0; oy0 < g.outH(); oy0 += band) {
                    int oy1 = Math.min(g.outH(), oy0 + band);
                    int cols = (oy1 - oy0) * g.outW();
                    unfoldRows(g, x, xOff, cg, col, cols, oy0, oy1);
                    Blas.convGemm(perSample, mg, cols, k, w, gi * mg * k, col, 0, cols, y, yOff + oy0 * g.outW(), outPlane, inner);
                    // the band's epilogue while its outputs are in cache
                    for (int f = 0; f < mg; f++) {
                        int o = yOff + f * outPlane + oy0 * g.outW();
                        epilogue.apply(y, o, cols, b != null, b != null ? b[gi * mg + f] : 0f, residual, o);
                    }
                }
                return;
            } else {
                int wide = count * outPlane;
                float[] col = scratch(0, k * wide + mg * wide);
                for (int s = 0; s < count; s++) {
                    unfold(g, phased, x, xOff + s * c * inPlane, cg, col, s * outPlane, wide);
                }
                int prod = k * wide;
                Blas.gemm(false, false, mg, wide, k, w, gi * mg * k, col, 0, col, prod, false, inner);
                if (residual == null) {
                    // the epilogue along each filter's row of all the samples (small planes: whole vectors, not tails)
                    for (int f = 0; f < mg; f++) {
                        int o = prod + f * wide;
                        epilogue.apply(col, o, wide, b != null, b != null ? b[gi * mg + f] : 0f, null, 0);
                    }
                }
                for (int s = 0; s < count; s++) {
                    for (int f = 0; f < mg; f++) {
                        System.arraycopy(col, prod + f * wide + s * outPlane, y, yOff + (s * m + f) * outPlane, outPlane);
                    }
                }
                if (residual == null) {
                    return;
                }
            }
            for (int s = 0; s < count; s++) {
                for (int f = 0; f < mg; f++) {
                    int o = yOff + (s * m + f) * outPlane;
                    epilogue.apply(y, o, outPlane, b != null, b != null ? b[gi * mg + f] : 0f, residual, o);
                }
            }
        });
    }

    /**
     * Samples unfolded side by side into one product: enough that the product has about 1024
     * columns (so packing the kernels is paid for), at most 4M floats of unfolded input, at least 1;
     * with several products, as many products as make whole rounds over the threads (8 samples at
     * 6 per product on 2 threads: 4 and 4, not 6 and 2).
     */
    static int samplesPerProduct(int n, int k, int outPlane, int threads) {
        int per = WindowKernels.samplesPerProduct(n, k, outPlane);
        int blocks = (n + per - 1) / per;
        if (blocks > 1 && threads > 1) {
            int rounds = Math.min(n, (blocks + threads - 1) / threads * threads);
            per = (n + rounds - 1) / rounds;
        }
        return per;
    }

    /**
     * Output rows per product of one sample's convolution (all of them but on large planes: {@link #rowsPerBand};
     * stride-2 unfolding from column phases and pointwise convolutions take the whole plane). A function of the
     * layer alone, so with OpenBLAS, whose bits depend on the product's shape, it fixes a sample's bits.
     */
    static int rowsPerProduct(Window g, int k) {
        boolean whole = DirectConv.pointwise(g) || g.sw() == 2 && g.dw() == 1;
        return whole ? g.outH() : Math.min(g.outH(), rowsPerBand(k, g.outW()));
    }

    /** Unfolded floats per band of output rows at most (4 MiB, a share of the cache that the product reads from). */
    private static final int BAND_FLOATS = 1 << 20;

    /**
     * Output rows per band for {@code k} unfolded rows and {@code outW} output columns: as many as fit
     * {@link #BAND_FLOATS}, but at least 512 columns (a product that thin would run below the kernel's rate).
     */
    static int rowsPerBand(int k, int outW) {
        int rows = (int) Math.max(1, BAND_FLOATS / ((long) k * outW));
        return Math.max(rows, (512 + outW - 1) / outW);
    }

    /**
     * The unfolded columns of output rows {@code [oy0, oy1)}: {@link Window#im2col(float[], int, int, float[])}'s
     * values for those outputs, row {@code r} of the band at {@code col[r * stride]}.
     */
    static void unfoldRows(Window g, float[] x, int xOff, int channels, float[] col, int stride, int oy0, int oy1) {
        int inW = g.inW();
        int inH = g.inH();
        int outW = g.outW();
        int sw = g.sw();
        int row = 0;
        for (int ch = 0; ch < channels; ch++) {
            int base = xOff + ch * inH * inW;
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    int r = row * stride;
                    int shift = kx * g.dw() - g.padLeft();
                    int ox0 = shift >= 0 ? 0 : Math.min(outW, (-shift + sw - 1) / sw);
                    int ox1 = inW - 1 - shift < 0 ? -1 : Math.min(outW - 1, (inW - 1 - shift) / sw);
                    for (int oy = oy0; oy < oy1; oy++) {
                        int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                        int o = r + (oy - oy0) * outW;
                        if (iy < 0 || iy >= inH || ox0 > ox1) {
                            java.util.Arrays.fill(col, o, o + outW, 0f);
                            continue;
                        }
                        int rowBase = base + iy * inW + shift;
                        java.util.Arrays.fill(col, o, o + ox0, 0f);
                        if (sw == 1) {
                            System.arraycopy(x, rowBase + ox0, col, o + ox0, ox1 - ox0 + 1);
                        } else {
                            for (int ox = ox0; ox <= ox1; ox++) {
                                col[o + ox] = x[rowBase + ox * sw];
                            }
                        }
                        java.util.Arrays.fill(col, o + ox1 + 1, o + outW, 0f);
                    }
                }
            }
        }
    }

    /**
     * {@link Window#im2col(float[], int, int, float[], int, int)}, the same values; with
     * {@code phased} (stride 2 along the row, unit dilation) every row segment is copied from the
     * input's even or odd columns, split once per call.
     */
    static void unfold(Window g, boolean phased, float[] x, int xOff, int channels, float[] col, int colOff, int stride) {
        if (!phased) {
            g.im2col(x, xOff, channels, col, colOff, stride);
            return;
        }
        int inW = g.inW();
        int inH = g.inH();
        int half = (inW + 1) / 2;
        float[] ph = scratch(1, channels * inH * 2 * half);
        // ph[(c*inH + iy)*2*half + parity*half + j] = x[c][iy][2j + parity]
        for (int r = 0; r < channels * inH; r++) {
            int src = xOff + r * inW;
            int even = r * 2 * half;
            int odd = even + half;
            for (int j = 0; j < inW / 2; j++) {
                ph[even + j] = x[src + 2 * j];
                ph[odd + j] = x[src + 2 * j + 1];
            }
            if (inW % 2 != 0) {
                ph[even + inW / 2] = x[src + inW - 1];
            }
        }
        int outH = g.outH();
        int outW = g.outW();
        int row = 0;
        for (int ch = 0; ch < channels; ch++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    int r = colOff + row * stride;
                    int shift = kx - g.padLeft();
                    int parity = Math.floorMod(shift, 2);
                    int jShift = Math.floorDiv(shift, 2);
                    int ox0 = shift >= 0 ? 0 : Math.min(outW, (-shift + 1) / 2);
                    int ox1 = inW - 1 - shift < 0 ? -1 : Math.min(outW - 1, (inW - 1 - shift) / 2);
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                        int o = r + oy * outW;
                        if (iy < 0 || iy >= inH || ox0 > ox1) {
                            java.util.Arrays.fill(col, o, o + outW, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, o, o + ox0, 0f);
                        int src = (ch * inH + iy) * 2 * half + parity * half + ox0 + jShift;
                        System.arraycopy(ph, src, col, o + ox0, ox1 - ox0 + 1);
                        java.util.Arrays.fill(col, o + ox1 + 1, o + outW, 0f);
                    }
                }
            }
        }
    }
}
