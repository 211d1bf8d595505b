package org.modelbench.onnx.internal;

/**
 * The backward pass of a convolution that unfolds its input (im2col + SGEMM; every shape but the
 * depthwise one): the kernel gradient {@code dW} and the input gradient {@code dX} for a batch.
 *
 * <p>Samples run side by side in blocks (see {@link #samplesPerBlock}): for each block and group,
 * <pre>
 *   cols   = im2col of the block's samples        [k x count*P]   (threads split samples / channels)
 *   dYb    = the block's output gradients         [mg x count*P]  (a view of dY when count is 1)
 *   dW_g  += dYb * cols^T                         one SGEMM, K = count*P
 *   dcols  = W_g^T * dYb                          one SGEMM, N = count*P
 *   dX    += col2im(dcols)                        (threads split samples / channels)
 * </pre>
 * so small planes (VGG16's last block: P = 81) still give the SGEMMs wide operands.
 *
 * <p>Summation order: an element of {@code dW_g} is the SGEMM's sum over the columns of each block
 * (sample-major, then output position), the blocks in sample order, each block adding to the sum of
 * the ones before (the first starts from zero, or from the parameter gradient it adds into). With the engine's Java kernel that is exactly the
 * chain of one product per sample; with a native BLAS it is that library's order for the block's
 * shape. Blocks depend on the batch, {@code k} and {@code P} only, never on the thread count; im2col
 * and col2im are copies and per-element sums in tap order whatever the split, so results are the
 * same bits for any thread count. Scratch (columns, column gradients, gathered output gradients) is
 * one buffer per calling thread, kept across calls: a training step allocates only the gradients it
 * returns.
 *
 * <p>A training forward pass whose batch is one block keeps its columns for the backward (the
 * caller's buffer, see {@link #keepsColumns}), so the backward unfolds nothing; a Relu folded into
 * the convolution ({@link ReluFolding}) is applied in the forward's output pass and, in the
 * backward, as the block's output gradients are gathered, where the bias gradient is summed too.
 */
final class ConvGradients {
    /** At most this many floats of unfolded input per block (32 MiB). */
    static final long MAX_BLOCK_COLUMNS = 8L << 20;

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private ConvGradients() {
    }

    /**
     * Samples per block: the whole batch when its unfolded input fits {@link #MAX_BLOCK_COLUMNS}, else
     * as many as fit (at least 1), spread evenly over the blocks; 1 when one plane is already wide
     * (1024 outputs or more).
     */
    static int samplesPerBlock(int n, int k, int outPlane) {
        if (outPlane >= 1024 || n <= 1) {
            return 1;
        }
        int fit = (int) Math.max(1, Math.min(n, MAX_BLOCK_COLUMNS / ((long) k * outPlane)));
        int blocks = (n + fit - 1) / fit;
        return (n + blocks - 1) / blocks;
    }

    /**
     * Whether {@link #forward} can keep the unfolded input for {@link #backward} in a buffer of
     * {@link #columnsSize} floats: one group whose whole batch is one block of unfolded input (at
     * most {@link #MAX_BLOCK_COLUMNS} floats), not a pointwise convolution that reads its input as it is.
     */
    static boolean keepsColumns(WindowKernels.ConvPlan p, int group) {
        int per = samplesPerBlock(p.n(), p.k(), p.outPlane());
        return group == 1 && per == p.n() && (long) p.k() * p.n() * p.outPlane() <= MAX_BLOCK_COLUMNS
                && !(per == 1 && DirectConv.pointwise(p.g()));
    }

    /** The floats of unfolded input {@link #keepsColumns} keeps: {@code k x (n * P)}. */
    static int columnsSize(WindowKernels.ConvPlan p) {
        return p.k() * p.n() * p.outPlane();
    }

    /**
     * The training forward pass, {@code y = activation(conv(x, w) + b)} ({@code b} may be null), in
     * the blocks of {@link #backward}: the block's samples unfolded side by side (threads split samples
     * / channels), one SGEMM per block and group ({@link Blas#shapedGemm}: OpenBLAS where selected, so
     * its bits depend on the batch's shape, never on the thread count), the result scattered to NCHW
     * with the epilogue (bias, then the activation: the bits of the separate nodes).
     *
     * @param columns null, or a buffer of {@link #columnsSize} floats (only when {@link #keepsColumns})
     *                that receives the unfolded input for {@link #backward}
     */
    static float[] forward(WindowKernels.ConvPlan p, int group, float[] x, float[] w, float[] b, Epilogue epilogue,
                           float[] columns, int threads) {
        Window g = p.g();
        int n = p.n();
        int cg = p.cg();
        int mg = p.mg();
        int k = p.k();
        int outPlane = p.outPlane();
        int inPlane = p.inPlane();
        int sampleIn = p.c() * inPlane;
        int sampleOut = p.m() * outPlane;
        int per = samplesPerBlock(n, k, outPlane);
        int wide = per * outPlane;
        boolean direct = per == 1 && DirectConv.pointwise(g);
        float[] y = new float[n * sampleOut];
        boolean kept = columns != null;
        float[] scratch = direct ? null : scratch((kept ? 0 : (long) k * wide)
                + (per > 1 ? (long) mg * wide + (long) cg * wide : 0));
        float[] cols = kept ? columns : scratch;
        int outAt = kept ? 0 : k * wide;
        int channelMajorAt = outAt + (per > 1 ? mg * wide : 0);
        for (int s0 = 0; s0 < n; s0 += per) {
            int count = Math.min(per, n - s0);
            int used = count * outPlane;
            for (int gi = 0; gi < group; gi++) {
                int xOff = s0 * sampleIn + gi * cg * inPlane;
                int yOff = s0 * sampleOut + gi * mg * outPlane;
                int wOff = gi * mg * k;
                if (direct) {
                    Blas.shapedGemm(false, false, mg, outPlane, k, w, wOff, x, xOff, y, yOff, false, threads);
                } else {
                    unfold(p, x, xOff, count, cols, 0, scratch, channelMajorAt, threads);
                    if (count == 1) {
                        Blas.shapedGemm(false, false, mg, outPlane, k, w, wOff, cols, 0, y, yOff, false, threads);
                    } else {
                        Blas.shapedGemm(false, false, mg, used, k, w, wOff, cols, 0, scratch, outAt, false, threads);
                    }
                }
                int filter0 = gi * mg;
                // filters over the threads: each copies its rows of the block to NCHW with the epilogue
                Blas.parallelRows(mg, threads, (long) mg * used, f -> {
                    boolean hasBias = b != null;
                    float bias = hasBias ? b[filter0 + f] : 0f;
                    for (int s = 0; s < count; s++) {
                        int o = yOff + s * sampleOut + f * outPlane;
                        if (count > 1) {
                            System.arraycopy(scratch, outAt + f * used + s * outPlane, y, o, outPlane);
                        }
                        epilogue.apply(y, o, outPlane, hasBias, bias, null, 0);
                    }
                });
            }
        }
        return y;
    }

    /**
     * Computes {@code dw} (overwritten, or added into when {@code addToDw}; null: not wanted), the
     * bias gradient {@code db} (overwritten; null: not wanted) and adds into {@code dx} (zeros on
     * entry; null: not wanted) for the batch {@code x} with output gradients {@code dy}, the SGEMMs on
     * {@code product} ({@link Blas#product}).
     *
     * @param mask    null, or the output of a Relu that {@link #forward} applied: {@code dy} is the
     *                Relu's output gradient and counts only where {@code mask > 0} (the Relu's backward,
     *                folded into the pass that gathers the block's output gradients)
     * @param columns null, or the unfolded input {@link #forward} kept for this {@code x}
     */
    static void backward(WindowKernels.ConvPlan p, int group, float[] x, float[] w, float[] dy, float[] mask,
                         float[] columns, float[] dw, boolean addToDw, float[] db, float[] dx, Blas.Product product,
                         int threads) {
        Window g = p.g();
        int n = p.n();
        int cg = p.cg();
        int mg = p.mg();
        int k = p.k();
        int outPlane = p.outPlane();
        int inPlane = p.inPlane();
        int sampleIn = p.c() * inPlane;
        int sampleOut = p.m() * outPlane;
        boolean pointwise = DirectConv.pointwise(g);
        int per = samplesPerBlock(n, k, outPlane);
        int wide = per * outPlane;
        // per == 1 && pointwise: the input is its own unfolding and dX its column gradient (no scratch)
        boolean direct = per == 1 && pointwise;
        if (direct && mask != null) {
            // the Relu's backward on its own (a rare path: a pointwise convolution on wide planes)
            dy = masked(dy, mask, threads);
            mask = null;
        }
        boolean kept = columns != null && dw != null;
        // the block's output gradients are gathered (side by side, masked, summed for the bias) unless
        // one unmasked sample can be read where it is
        boolean gather = !direct && (per > 1 || mask != null);
        float[] scratch = direct ? null : scratch((dw != null && !kept ? (long) k * wide : 0)
                + (dx != null ? (long) k * wide : 0) + (gather ? (long) mg * wide : 0)
                + (per > 1 ? (long) cg * wide : 0));
        float[] cols = kept ? columns : scratch;
        int colAt = 0;
        int dcolAt = dw != null && !kept ? k * wide : 0;
        int dyAt = dcolAt + (dx != null ? k * wide : 0);
        // the block's input (im2col) and then its input gradient (col2im) in channel-major order
        int channelMajorAt = dyAt + (gather ? mg * wide : 0);
        if (db != null) {
            java.util.Arrays.fill(db, 0f);
        }
        float[] dyIn = dy;
        float[] maskIn = mask;
        for (int s0 = 0; s0 < n; s0 += per) {
            int count = Math.min(per, n - s0);
            int used = count * outPlane;
            for (int gi = 0; gi < group; gi++) {
                int xOff = s0 * sampleIn + gi * cg * inPlane;
                int dyOff = s0 * sampleOut + gi * mg * outPlane;
                int wOff = gi * mg * k;
                int first = s0;
                int filter0 = gi * mg;
                if (!gather && db != null) {
                    biasGradient(dyIn, dyOff, count, sampleOut, mg, outPlane, db, filter0, threads);
                }
                if (direct) {
                    if (dw != null) {
                        product.gemm(false, true, mg, k, outPlane, dy, dyOff, x, xOff, dw, wOff, addToDw || s0 > 0,
                                threads);
                    }
                    if (dx != null) {
                        product.gemm(true, false, k, outPlane, mg, w, wOff, dy, dyOff, dx, xOff, false, threads);
                    }
                    continue;
                }
                float[] dyBlock = dy;
                int dyBlockOff = dyOff;
                if (gather) {
                    dyBlock = scratch;
                    dyBlockOff = dyAt;
                }
                int chunks = channelChunks(count, cg, threads);
                if (dw != null && !kept) {
                    unfold(p, x, xOff, count, scratch, colAt, scratch, channelMajorAt, threads);
                }
                if (gather) {
                    // dYb[f][s * P + q] = dY[s0 + s][filter0 + f][q] (where the mask is > 0), filters over the
                    // threads; the bias gradient sums each plane as it goes, sample by sample
                    Blas.parallelRows(mg, threads, (long) mg * used, f -> {
                        for (int s = 0; s < count; s++) {
                            int from = (first + s) * sampleOut + (filter0 + f) * outPlane;
                            int to = dyAt + f * used + s * outPlane;
                            if (maskIn == null) {
                                System.arraycopy(dyIn, from, scratch, to, outPlane);
                            } else {
                                for (int q = 0; q < outPlane; q++) {
                                    scratch[to + q] = maskIn[from + q] > 0 ? dyIn[from + q] : 0f;
                                }
                            }
                            if (db != null) {
                                float sum = 0;
                                for (int q = 0; q < outPlane; q++) {
                                    sum += scratch[to + q];
                                }
                                db[filter0 + f] += sum;
                            }
                        }
                    });
                }
                if (dw != null) {
                    // dW_g (+)= dYb [mg x used] * cols^T [used x k]; the first block overwrites unless addToDw
                    product.gemm(false, true, mg, k, used, dyBlock, dyBlockOff, cols, colAt, dw, wOff,
                            addToDw || s0 > 0, threads);
                }
                if (dx != null) {
                    // dcols [k x used] = W_g^T [k x mg] * dYb [mg x used]
                    product.gemm(true, false, k, used, mg, w, wOff, dyBlock, dyBlockOff, scratch, dcolAt, false,
                            threads);
                    if (count > 1 && g.samePlane()) {
                        // whole rows of all samples at once into a channel-major gradient, then back to NCHW
                        int taps = g.kh() * g.kw();
                        Blas.parallelRows(threads, threads, (long) k * used, t -> {
                            int c0 = (int) ((long) cg * t / threads);
                            int c1 = (int) ((long) cg * (t + 1) / threads);
                            java.util.Arrays.fill(scratch, channelMajorAt + c0 * used, channelMajorAt + c1 * used, 0f);
                            g.col2imBlock(scratch, dcolAt + c0 * taps * used, c1 - c0, count, scratch,
                                    channelMajorAt + c0 * used);
                        });
                        Blas.parallelRows(cg, threads, (long) cg * used, c -> {
                            for (int s = 0; s < count; s++) {
                                System.arraycopy(scratch, channelMajorAt + (c * count + s) * inPlane, dx,
                                        xOff + s * sampleIn + c * inPlane, inPlane);
                            }
                        });
                    } else {
                        Blas.parallelRows(count * chunks, threads, (long) k * used, job -> {
                            int s = job / chunks;
                            int c0 = (int) ((long) cg * (job % chunks) / chunks);
                            int c1 = (int) ((long) cg * (job % chunks + 1) / chunks);
                            g.col2im(scratch, dcolAt + c0 * g.kh() * g.kw() * used + s * outPlane, used, c1 - c0, dx,
                                    xOff + s * sampleIn + c0 * inPlane);
                        });
                    }
                }
            }
        }
    }

    /**
     * {@code db[dbOff + f] += sum of dy[dyOff + s * sampleStride + f * plane ..][plane]} for {@code samples}
     * samples of {@code filters} planes: filters over the threads, each summing its planes sample by
     * sample (the same order for any split).
     */
    static void biasGradient(float[] dy, int dyOff, int samples, int sampleStride, int filters, int plane, float[] db,
                             int dbOff, int threads) {
        Blas.parallelRows(filters, threads, (long) samples * filters * plane, f -> {
            for (int s = 0; s < samples; s++) {
                int o = dyOff + s * sampleStride + f * plane;
                float sum = 0;
                for (int q = 0; q < plane; q++) {
                    sum += dy[o + q];
                }
                db[dbOff + f] += sum;
            }
        });
    }

    /**
     * The backward pass of a depthwise convolution with one filter per channel ({@code c} channels,
     * {@code c} filters): {@code dw} (added into; null: not wanted) and {@code dx} (zeros on entry,
     * written; null: not wanted) for the batch of {@code n} samples; channels over the threads. The
     * bits of {@link DirectConv#depthwiseBackward}: each kernel element is the chain of fused
     * multiply-adds over the samples in order and the outputs in order within a sample, each input
     * gradient element the sum of its taps' rounded products in tap order. The (tap, output, input)
     * triples inside the planes are listed once, so the loops run over them instead of testing rows
     * and columns, and the taps' chains of a channel advance side by side.
     */
    static void depthwiseBackward(Window g, int n, int c, float[] x, float[] w, float[] dy, float[] dw, float[] dx,
                                  int threads) {
        int outPlane = g.outH() * g.outW();
        int inPlane = g.inH() * g.inW();
        int taps = g.kh() * g.kw();
        // triples in output-major order (the kernel gradient's chains) and in tap-major order (the input gradient's sums)
        int[] outMajor = new int[3 * taps * outPlane];
        int[] tapMajor = new int[outMajor.length];
        int count = 0;
        for (int o = 0; o < outPlane; o++) {
            for (int t = 0; t < taps; t++) {
                int in = inside(g, o, t);
                if (in >= 0) {
                    outMajor[3 * count] = t;
                    outMajor[3 * count + 1] = o;
                    outMajor[3 * count + 2] = in;
                    count++;
                }
            }
        }
        int at = 0;
        for (int t = 0; t < taps; t++) {
            for (int o = 0; o < outPlane; o++) {
                int in = inside(g, o, t);
                if (in >= 0) {
                    tapMajor[at++] = t;
                    tapMajor[at++] = o;
                    tapMajor[at++] = in;
                }
            }
        }
        int triples = count;
        Blas.parallelRows(c, threads, (long) n * c * triples * 2, f -> {
            if (dw != null) {
                float[] acc = new float[taps];
                System.arraycopy(dw, f * taps, acc, 0, taps);
                for (int s = 0; s < n; s++) {
                    int xs = (s * c + f) * inPlane;
                    int ys = (s * c + f) * outPlane;
                    for (int e = 0; e < 3 * triples; e += 3) {
                        int t = outMajor[e];
                        acc[t] = Math.fma(dy[ys + outMajor[e + 1]], x[xs + outMajor[e + 2]], acc[t]);
                    }
                }
                System.arraycopy(acc, 0, dw, f * taps, taps);
            }
            if (dx != null) {
                for (int s = 0; s < n; s++) {
                    int xs = (s * c + f) * inPlane;
                    int ys = (s * c + f) * outPlane;
                    for (int e = 0; e < 3 * triples; e += 3) {
                        dx[xs + tapMajor[e + 2]] += Math.fma(w[f * taps + tapMajor[e]], dy[ys + tapMajor[e + 1]], 0f);
                    }
                }
            }
        });
    }

    /** The input index that tap {@code t} of output {@code o} reads, or -1 over padding. */
    private static int inside(Window g, int o, int t) {
        int iy = o / g.outW() * g.sh() - g.padTop() + t / g.kw() * g.dh();
        int ix = o % g.outW() * g.sw() - g.padLeft() + t % g.kw() * g.dw();
        return iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW() ? -1 : iy * g.inW() + ix;
    }

    /** {@code mask > 0 ? dy : 0}, element-wise (a Relu's backward). */
    static float[] masked(float[] dy, float[] mask, int threads) {
        float[] out = new float[dy.length];
        ElementwiseKernels.inChunks(dy.length, threads, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = mask[i] > 0 ? dy[i] : 0f;
            }
        });
        return out;
    }

    /**
     * im2col of the {@code count} samples from {@code x[xOff..]} side by side into
     * {@code cols[colAt..]} ({@code k} rows of {@code count * P}); threads split samples, or channels
     * when there are fewer samples than threads (copies: the same bits for any split). "Same"
     * convolutions of several samples go through a channel-major copy at {@code channelMajor[channelMajorAt..]}
     * and unfold whole rows of all samples at once ({@link Window#im2colBlock}).
     */
    private static void unfold(WindowKernels.ConvPlan p, float[] x, int xOff, int count, float[] cols, int colAt,
                               float[] channelMajor, int channelMajorAt, int threads) {
        Window g = p.g();
        int cg = p.cg();
        int inPlane = p.inPlane();
        int used = count * p.outPlane();
        int taps = g.kh() * g.kw();
        if (count > 1 && g.samePlane()) {
            // the block in channel-major order (channelMajor[channelMajorAt..], cg * used floats), then whole rows
            Blas.parallelRows(cg, threads, (long) cg * used, c -> {
                for (int s = 0; s < count; s++) {
                    System.arraycopy(x, xOff + s * p.c() * inPlane + c * inPlane, channelMajor,
                            channelMajorAt + (c * count + s) * inPlane, inPlane);
                }
            });
            Blas.parallelRows(threads, threads, (long) p.k() * used, t -> {
                int c0 = (int) ((long) cg * t / threads);
                int c1 = (int) ((long) cg * (t + 1) / threads);
                g.im2colBlock(channelMajor, channelMajorAt + c0 * used, c1 - c0, count, cols, colAt + c0 * taps * used);
            });
            return;
        }
        int chunks = channelChunks(count, cg, threads);
        Blas.parallelRows(count * chunks, threads, (long) p.k() * used, job -> {
            int s = job / chunks;
            int c0 = (int) ((long) cg * (job % chunks) / chunks);
            int c1 = (int) ((long) cg * (job % chunks + 1) / chunks);
            g.im2col(x, xOff + s * p.c() * inPlane + c0 * inPlane, c1 - c0, cols, colAt + c0 * taps * used
                    + s * p.outPlane(), used);
        });
    }

    /** Channel ranges per sample so that every thread has work even for one sample. */
    private static int channelChunks(int count, int channels, int threads) {
        return count >= threads ? 1 : Math.max(1, Math.min(channels, threads));
    }

    /** This thread's scratch buffer, at least {@code size} long (callers write before they read). */
    private static float[] scratch(long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a convolution block needs " + size + " floats of scratch");
        }
        float[] s = SCRATCH.get();
        if (s.length < size) {
            s = new float[(int) size];
            SCRATCH.set(s);
        }
        return s;
    }
}
