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
     * The training forward pass, {@code y = conv(x, w) + b} ({@code b} may be null), in the blocks of
     * {@link #backward}: the block's samples unfolded side by side (threads split samples / channels),
     * one SGEMM per block and group ({@link Blas#shapedGemm}: OpenBLAS where selected, so its bits
     * depend on the batch's shape, never on the thread count), the result scattered to NCHW with the
     * bias added.
     */
    static float[] forward(WindowKernels.ConvPlan p, int group, float[] x, float[] w, float[] b, int threads) {
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
        float[] scratch = direct ? null : scratch((long) k * wide + (per > 1 ? (long) mg * wide + (long) cg * wide : 0));
        int outAt = k * wide;
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
                    unfold(p, x, xOff, count, scratch, 0, channelMajorAt, threads);
                    if (count == 1) {
                        Blas.shapedGemm(false, false, mg, outPlane, k, w, wOff, scratch, 0, y, yOff, false, threads);
                    } else {
                        Blas.shapedGemm(false, false, mg, used, k, w, wOff, scratch, 0, scratch, outAt, false, threads);
                    }
                }
                int filter0 = gi * mg;
                Blas.parallelRows(count, threads, (long) mg * used, s -> {
                    for (int f = 0; f < mg; f++) {
                        int o = yOff + s * sampleOut + f * outPlane;
                        if (count > 1) {
                            System.arraycopy(scratch, outAt + f * used + s * outPlane, y, o, outPlane);
                        }
                        if (b != null) {
                            float bias = b[filter0 + f];
                            for (int q = 0; q < outPlane; q++) {
                                y[o + q] += bias;
                            }
                        }
                    }
                });
            }
        }
        return y;
    }

    /**
     * Computes {@code dw} (overwritten, or added into when {@code addToDw}; null: not wanted) and
     * adds into {@code dx} (zeros on entry; null: not wanted) for the batch {@code x} with output
     * gradients {@code dy}, the SGEMMs on {@code product} ({@link Blas#product}).
     */
    static void backward(WindowKernels.ConvPlan p, int group, float[] x, float[] w, float[] dy, float[] dw,
                         boolean addToDw, float[] dx, Blas.Product product, int threads) {
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
        float[] scratch = direct ? null : scratch((dw != null ? (long) k * wide : 0) + (dx != null ? (long) k * wide : 0)
                + (per > 1 ? (long) mg * wide + (long) cg * wide : 0));
        int colAt = 0;
        int dcolAt = dw != null ? k * wide : 0;
        int dyAt = dcolAt + (dx != null ? k * wide : 0);
        // the block's input (im2col) and then its input gradient (col2im) in channel-major order
        int channelMajorAt = dyAt + (per > 1 ? mg * wide : 0);
        for (int s0 = 0; s0 < n; s0 += per) {
            int count = Math.min(per, n - s0);
            int used = count * outPlane;
            for (int gi = 0; gi < group; gi++) {
                int xOff = s0 * sampleIn + gi * cg * inPlane;
                int dyOff = s0 * sampleOut + gi * mg * outPlane;
                int wOff = gi * mg * k;
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
                if (count > 1) {
                    dyBlock = scratch;
                    dyBlockOff = dyAt;
                }
                int first = s0;
                int filter0 = gi * mg;
                int chunks = channelChunks(count, cg, threads);
                if (dw != null) {
                    unfold(p, x, xOff, count, scratch, colAt, channelMajorAt, threads);
                }
                if (count > 1) {
                    // the block's output gradients side by side: dYb[f][s * P + q] = dY[s0 + s][filter0 + f][q]
                    Blas.parallelRows(count, threads, (long) mg * used, s -> {
                        for (int f = 0; f < mg; f++) {
                            System.arraycopy(dy, (first + s) * sampleOut + (filter0 + f) * outPlane, scratch,
                                    dyAt + f * used + s * outPlane, outPlane);
                        }
                    });
                }
                if (dw != null) {
                    // dW_g (+)= dYb [mg x used] * cols^T [used x k]; the first block overwrites unless addToDw
                    product.gemm(false, true, mg, k, used, dyBlock, dyBlockOff, scratch, colAt, dw, wOff,
                            addToDw || s0 > 0, threads);
                }
                if (dx != null) {
                    // dcols [k x used] = W_g^T [k x mg] * dYb [mg x used]
                    product.gemm(true, false, k, used, mg, w, wOff, dyBlock, dyBlockOff, scratch, dcolAt, false,
                            threads);
                    if (count > 1 && g.samePlane()) {
                        // whole rows of all samples at once into a channel-major gradient, then back to NCHW
                        int taps = g.kh() * g.kw();
                        java.util.Arrays.fill(scratch, channelMajorAt, channelMajorAt + cg * used, 0f);
                        Blas.parallelRows(threads, threads, (long) k * used, t -> {
                            int c0 = (int) ((long) cg * t / threads);
                            int c1 = (int) ((long) cg * (t + 1) / threads);
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
     * im2col of the {@code count} samples from {@code x[xOff..]} side by side into
     * {@code cols[colAt..]} ({@code k} rows of {@code count * P}); threads split samples, or channels
     * when there are fewer samples than threads (copies: the same bits for any split). "Same"
     * convolutions of several samples go through a channel-major copy at {@code cols[channelMajorAt..]}
     * and unfold whole rows of all samples at once ({@link Window#im2colBlock}).
     */
    private static void unfold(WindowKernels.ConvPlan p, float[] x, int xOff, int count, float[] cols, int colAt,
                               int channelMajorAt, int threads) {
        Window g = p.g();
        int cg = p.cg();
        int inPlane = p.inPlane();
        int used = count * p.outPlane();
        int taps = g.kh() * g.kw();
        if (count > 1 && g.samePlane()) {
            // the block in channel-major order (cols[channelMajorAt..], cg * used floats), then whole rows
            Blas.parallelRows(cg, threads, (long) cg * used, c -> {
                for (int s = 0; s < count; s++) {
                    System.arraycopy(x, xOff + s * p.c() * inPlane + c * inPlane, cols,
                            channelMajorAt + (c * count + s) * inPlane, inPlane);
                }
            });
            Blas.parallelRows(threads, threads, (long) p.k() * used, t -> {
                int c0 = (int) ((long) cg * t / threads);
                int c1 = (int) ((long) cg * (t + 1) / threads);
                g.im2colBlock(cols, channelMajorAt + c0 * used, c1 - c0, count, cols, colAt + c0 * taps * used);
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
