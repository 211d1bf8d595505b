package org.modelbench.onnx.internal;

/**
 * Winograd F(2x2,3x3) for the training forward and backward of a 3x3 convolution (stride 1, dilation 1, one
 * group, pads all 0 or all 1): the whole batch's tiles side by side in 16 matrix products per pass, and the
 * backward the exact adjoint of that forward, so the gradients are those of the Winograd computation (which
 * equals the convolution up to rounding).
 *
 * <p>Layout: the output of each sample is cut into {@code tilesH x tilesW} tiles of 2x2 ({@code tilesH =
 * ceil(outH / 2)}); tile {@code t = s * tilesH * tilesW + ty * tilesW + tx} of sample {@code s} reads the 4x4
 * input patch at padded rows {@code 2 ty ..} and columns {@code 2 tx ..} (zero outside the input), so there are
 * {@code T = n tilesH tilesW} tiles, sample-major. With {@code xi = 4 i + j} a position of the 4x4 transform domain:
 * <pre>
 *   forward   U[xi][f][ch] = (G g G^T)[i][j]                          ({@link WinogradConv#transform}, every step)
 *             V[xi][ch][t] = (B^T d B)[i][j]                         (channels over the threads)
 *             M[xi] [m x T] = U[xi] [m x c] * V[xi] [c x T]           16 SGEMMs
 *             Y = A^T M A (the outputs inside the plane), + bias, the epilogue (filters over the threads)
 *   backward  dM[xi][f][t] = (A dY A^T)[i][j], dY masked by a folded Relu, 0 beyond an odd plane's edge
 *             dU[xi] [m x c] = dM[xi] [m x T] * V[xi]^T               16 SGEMMs   dW = G^T dU G
 *             dV[xi] [c x T] = U[xi]^T [c x m] * dM[xi] [m x T]       16 SGEMMs   dX += B dV B^T over the tiles
 * </pre>
 * with {@code B^T = [[1,0,-1,0],[0,1,1,0],[0,-1,1,0],[0,1,0,-1]]}, {@code G = [[1,0,0],[1/2,1/2,1/2],
 * [1/2,-1/2,1/2],[0,0,1]]} and {@code A^T = [[1,1,1,0],[0,1,-1,-1]]}. For VGG16's 9x9 planes (25 tiles of which
 * the last row and column are half outside) the products do 1.8 times fewer multiplications than im2col's.
 *
 * <p>Bits: the products run on {@link Blas#shapedGemm} (OpenBLAS where selected: its rounding follows the
 * product's shape, so it depends on the batch, never on the thread count). The transforms are fixed sequences
 * of float additions per element; the input gradient of a channel adds its tiles' contributions in tile order
 * into a padded plane (channels over the threads), the bias gradient sums each masked plane in order, sample by
 * sample, as {@link ConvGradients} does. So every result is the same bits for any thread count.
 *
 * <p>Lifecycle: a training forward pass transforms the weights ({@code U}, they change in place every step) and
 * the input ({@code V}) into buffers the caller keeps ({@link WindowKernels}), and the backward of the same input
 * and weights reuses them; without them the backward transforms again.
 */
final class WinogradTraining {
    /** Input and output channels a layer needs at least (see {@link #suits}). */
    static final int MIN_CHANNELS = 128;
    /** At most this many floats of transformed input (or products) per pass: the whole batch is one block. */
    static final long MAX_TRANSFORMED = ConvGradients.MAX_BLOCK_COLUMNS;

    /** The calling thread's scratch: products / their gradients, the kernel-transform gradient, the input-transform gradient, v. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    private WinogradTraining() {
    }

    /**
     * Whether a training Conv runs here: a 3x3 kernel, stride 1, dilation 1, one group, pads all 0 or all 1, at
     * least {@value #MIN_CHANNELS} input and output channels, and the batch's transformed input and products
     * within {@link #MAX_TRANSFORMED} floats. A rule of the layer's and the batch's shape, never of the thread
     * count.
     *
     * <p>Measured 2026-12-02 on this host (Xeon Emerald Rapids, 2 cores, OpenBLAS's SkylakeX core), {@code bench
     * --finetune --rounds 3} (VGG16's block 5: 512 channels on 9x9, batch 16, 2 threads), under load 1.5-2: 40.5 and
     * 41.7 samples/s on im2col + SGEMM, 51 with this. Layers of 64 channels were not measured in training and stay
     * on im2col (the inference rule found 64-channel, few-tile layers slower).
     */
    static boolean suits(Window g, int group, int c, int m, int n) {
        boolean pads = g.padTop() == g.padLeft() && g.padTop() == g.padBottom() && g.padTop() == g.padRight()
                && (g.padTop() == 0 || g.padTop() == 1);
        return group == 1 && g.kh() == 3 && g.kw() == 3 && g.sh() == 1 && g.sw() == 1 && g.dh() == 1 && g.dw() == 1
                && pads && c >= MIN_CHANNELS && m >= MIN_CHANNELS
                && 16L * Math.max(c, m) * tiles(g, n) <= MAX_TRANSFORMED;
    }

    /** The rule of {@link #suits}, for provenance. */
    static String rule() {
        return "training: Winograd F(2x2,3x3) for 3x3 stride-1 group-1 convs with pads 0 or 1 and >= " + MIN_CHANNELS
                + " in and out channels, the batch's tiles side by side";
    }

    /** The batch's 2x2 output tiles, {@code n ceil(outH / 2) ceil(outW / 2)}. */
    static int tiles(Window g, int n) {
        return n * ((g.outH() + 1) / 2) * ((g.outW() + 1) / 2);
    }

    /**
     * Floats between the 16 matrices of one transform ({@code rows x cols} each): {@value #SKEW} more than a
     * matrix, so that the 16 streams a tile reads or writes fall into different cache sets (a matrix of 512 x 400
     * floats is a multiple of 4 KiB: without the skew every stream would share one L1 set).
     */
    static int positionStride(int rows, int cols) {
        return rows * cols + SKEW;
    }

    /** Floats of skew between consecutive transform positions (see {@link #positionStride}). */
    static final int SKEW = 48;

    /** The floats of transformed input {@link #forward} fills: 16 positions of {@code c x T}. */
    static int transformedSize(Window g, int n, int c) {
        return 16 * positionStride(c, tiles(g, n));
    }

    /** The floats of a transformed kernel: 16 positions of {@code m x c}. */
    static int kernelSize(int m, int c) {
        return 16 * positionStride(m, c);
    }

    /**
     * The transformed kernel {@code U = G g G^T} of weights {@code w} [m, c, 3, 3], {@code u[(xi * m + f) * c + ch]},
     * in float: {@code G g} on the rows ({@code g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2}), then the same on
     * the columns. Filters over the threads (each element a fixed sequence of operations: the same bits for any
     * split).
     */
    static float[] kernelTransform(float[] w, int m, int c, int threads) {
        return kernelTransform(w, m, c, new float[kernelSize(m, c)], threads);
    }

    /** {@link #kernelTransform} into {@code u} ({@link #kernelSize} floats, overwritten), returned. */
    static float[] kernelTransform(float[] w, int m, int c, float[] u, int threads) {
        int stride = positionStride(m, c);
        Blas.parallelRows(m, threads, (long) m * c * 48, f -> {
            float[] t = new float[12];
            // a chunk of channels at a time into 16 local rows, then copied out (the 16 rows of u are
            // m * c floats apart: written one float at a time they would share cache sets)
            float[] local = new float[16 * CHUNK];
            for (int ch0 = 0; ch0 < c; ch0 += CHUNK) {
                int len = Math.min(CHUNK, c - ch0);
                for (int q = 0; q < len; q++) {
                    int o = (f * c + ch0 + q) * 9;
                    for (int j = 0; j < 3; j++) {
                        float g0 = w[o + j];
                        float g1 = w[o + 3 + j];
                        float g2 = w[o + 6 + j];
                        float even = 0.5f * (g0 + g2);
                        float odd = 0.5f * g1;
                        t[j] = g0;
                        t[3 + j] = even + odd;
                        t[6 + j] = even - odd;
                        t[9 + j] = g2;
                    }
                    for (int i = 0; i < 4; i++) {
                        float a = t[3 * i];
                        float b = t[3 * i + 1];
                        float cc = t[3 * i + 2];
                        float even = 0.5f * (a + cc);
                        float odd = 0.5f * b;
                        int at = 4 * i * CHUNK + q;
                        local[at] = a;
                        local[at + CHUNK] = even + odd;
                        local[at + 2 * CHUNK] = even - odd;
                        local[at + 3 * CHUNK] = cc;
                    }
                }
                for (int xi = 0; xi < 16; xi++) {
                    System.arraycopy(local, xi * CHUNK, u, xi * stride + f * c + ch0, len);
                }
            }
        });
        return u;
    }

    /** Channels a kernel transform writes at a time. */
    private static final int CHUNK = 64;

    /**
     * The 16 products {@code C[xi] = op(A[xi]) op(B[xi])} of one pass, each in one piece ({@link
     * org.modelbench.engine.kernels.Sgemm#gemmWhole}: OpenBLAS where selected, its bits a function of the shape), the
     * positions over the threads: a product's bits never depend on the thread count.
     */
    private static void products(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c,
                                 int threads) {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        int aStride = positionStride(m, k);
        int bStride = positionStride(k, n);
        int cStride = positionStride(m, n);
        Blas.parallelRows(16, threads, 16L * m * n * k, xi -> org.modelbench.engine.kernels.Sgemm.gemmWhole(transA,
                transB, m, n, k, a, xi * aStride, lda, b, xi * bStride, ldb, c, xi * cStride, n, false));
    }

    private static float[] scratch(int which, long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a Winograd pass needs " + size + " floats of scratch");
        }
        float[][] s = SCRATCH.get();
        if (s[which].length < size) {
            s[which] = new float[(int) size];
        }
        return s[which];
    }

    /**
     * {@code y = epilogue(conv(x, w) + b)} for the batch of {@code n} samples ({@code c x inH x inW} in, {@code m x
     * outH x outW} out; {@code b} may be null), given {@code u} = {@link #kernelTransform} of {@code w}; fills
     * {@code v} ({@link #transformedSize} floats) with the transformed input for {@link #backward}.
     */
    static float[] forward(Window g, int n, int c, int m, float[] x, float[] u, float[] v, float[] b, Epilogue epilogue,
                           int threads) {
        int tiles = tiles(g, n);
        inputTransform(g, n, c, x, v, threads);
        float[] prod = scratch(0, 16L * positionStride(m, tiles));
        products(false, false, m, tiles, c, u, v, prod, threads);
        int outH = g.outH();
        int outW = g.outW();
        int outPlane = outH * outW;
        int tilesH = (outH + 1) / 2;
        int tilesW = (outW + 1) / 2;
        int perSample = tilesH * tilesW;
        float[] y = new float[n * m * outPlane];
        int stride = positionStride(m, tiles);
        Blas.parallelRows(m, threads, (long) m * tiles * 16, f -> {
            boolean hasBias = b != null;
            float bias = hasBias ? b[f] : 0f;
            for (int s = 0; s < n; s++) {
                int yo = (s * m + f) * outPlane;
                for (int ty = 0; ty < tilesH; ty++) {
                    int oy = 2 * ty;
                    for (int tx = 0; tx < tilesW; tx++) {
                        int p = f * tiles + s * perSample + ty * tilesW + tx;
                        float s00 = prod[p] + prod[p + 4 * stride] + prod[p + 8 * stride];
                        float s10 = prod[p + 4 * stride] - prod[p + 8 * stride] - prod[p + 12 * stride];
                        float s01 = prod[p + stride] + prod[p + 5 * stride] + prod[p + 9 * stride];
                        float s11 = prod[p + 5 * stride] - prod[p + 9 * stride] - prod[p + 13 * stride];
                        float s02 = prod[p + 2 * stride] + prod[p + 6 * stride] + prod[p + 10 * stride];
                        float s12 = prod[p + 6 * stride] - prod[p + 10 * stride] - prod[p + 14 * stride];
                        float s03 = prod[p + 3 * stride] + prod[p + 7 * stride] + prod[p + 11 * stride];
                        float s13 = prod[p + 7 * stride] - prod[p + 11 * stride] - prod[p + 15 * stride];
                        int ox = 2 * tx;
                        int o = yo + oy * outW + ox;
                        boolean right = ox + 1 < outW;
                        y[o] = s00 + s01 + s02;
                        if (right) {
                            y[o + 1] = s01 - s02 - s03;
                        }
                        if (oy + 1 < outH) {
                            y[o + outW] = s10 + s11 + s12;
                            if (right) {
                                y[o + outW + 1] = s11 - s12 - s13;
                            }
                        }
                    }
                }
                epilogue.apply(y, yo, outPlane, hasBias, bias, null, 0);
            }
        });
        return y;
    }

    /**
     * The gradients of {@link #forward}: {@code dw} (overwritten, or added into when {@code addToDw}; null: not
     * wanted), {@code db} (overwritten; null: not wanted) and {@code dx} (added into; null: not wanted), for output
     * gradients {@code dy}.
     *
     * @param mask null, or the output of the Relu {@link #forward} applied: {@code dy} counts only where it is > 0
     * @param v    null, or the transformed input {@link #forward} kept for this {@code x}
     */
    static void backward(Window g, int n, int c, int m, float[] x, float[] u, float[] v, float[] dy, float[] mask,
                         float[] dw, boolean addToDw, float[] db, float[] dx, int threads) {
        int tiles = tiles(g, n);
        int outH = g.outH();
        int outW = g.outW();
        int outPlane = outH * outW;
        int tilesH = (outH + 1) / 2;
        int tilesW = (outW + 1) / 2;
        int perSample = tilesH * tilesW;
        int stride = positionStride(m, tiles);
        float[] dm = scratch(0, 16L * positionStride(m, tiles));
        if (db != null) {
            java.util.Arrays.fill(db, 0f);
        }
        // dM = A dY A^T per tile (dY masked, zero beyond the plane), filters over the threads
        int pw = 2 * tilesW;
        Blas.parallelRows(m, threads, (long) m * tiles * 16, f -> {
            // the sample's masked output gradient in a plane of whole tiles (zeros beyond an odd edge)
            float[] plane = new float[2 * tilesH * pw];
            for (int s = 0; s < n; s++) {
                int yo = (s * m + f) * outPlane;
                float sum = 0;
                for (int oy = 0; oy < outH; oy++) {
                    int from = yo + oy * outW;
                    int to = oy * pw;
                    if (mask == null) {
                        System.arraycopy(dy, from, plane, to, outW);
                    } else {
                        for (int ox = 0; ox < outW; ox++) {
                            plane[to + ox] = mask[from + ox] > 0 ? dy[from + ox] : 0f;
                        }
                    }
                }
                if (db != null) {
                    for (int oy = 0; oy < outH; oy++) {
                        for (int ox = 0; ox < outW; ox++) {
                            sum += plane[oy * pw + ox];
                        }
                    }
                    db[f] += sum;
                }
                int p0 = f * tiles + s * perSample;
                for (int ty = 0; ty < tilesH; ty++) {
                    int r0 = 2 * ty * pw;
                    int r1 = r0 + pw;
                    for (int tx = 0; tx < tilesW; tx++) {
                        float d00 = plane[r0 + 2 * tx];
                        float d01 = plane[r0 + 2 * tx + 1];
                        float d10 = plane[r1 + 2 * tx];
                        float d11 = plane[r1 + 2 * tx + 1];
                        // rows of A dY: (d0p), (d0p + d1p), (d0p - d1p), (-d1p); then the same on the columns
                        int p = p0 + ty * tilesW + tx;
                        adjointRow(d00, d01, dm, p, stride);
                        adjointRow(d00 + d10, d01 + d11, dm, p + 4 * stride, stride);
                        adjointRow(d00 - d10, d01 - d11, dm, p + 8 * stride, stride);
                        adjointRow(-d10, -d11, dm, p + 12 * stride, stride);
                    }
                }
            }
        });
        float[] vv = v;
        if (vv == null && dw != null) {
            vv = scratch(3, transformedSize(g, n, c));
            inputTransform(g, n, c, x, vv, threads);
        }
        if (dw != null) {
            float[] du = scratch(1, kernelSize(m, c));
            products(false, true, m, c, tiles, dm, vv, du, threads);
            kernelGradient(du, m, c, dw, addToDw, threads);
        }
        if (dx != null) {
            float[] dv = scratch(2, transformedSize(g, n, c));
            products(true, false, c, tiles, m, u, dm, dv, threads);
            inputGradient(g, n, c, dv, dx, threads);
        }
    }

    /** {@code dm[p + j * stride] = (a, a + b, a - b, -b)[j]}: one row of {@code (A dY) A^T}. */
    private static void adjointRow(float a, float b, float[] dm, int p, int stride) {
        dm[p] = a;
        dm[p + stride] = a + b;
        dm[p + 2 * stride] = a - b;
        dm[p + 3 * stride] = -b;
    }

    /**
     * {@code V[xi][ch][t] = (B^T d B)[xi]} for every tile of every sample: channels over the threads, each copying a
     * sample's plane into a zero-padded one (rows and columns {@code 2 tiles + 2}) and transforming its tiles in
     * order. {@code B^T d} on the rows first ({@code d0 - d2, d1 + d2, d2 - d1, d1 - d3}), then the same on the
     * columns: {@link WinogradTransforms}'s additions.
     */
    static void inputTransform(Window g, int n, int c, float[] x, float[] v, int threads) {
        int tiles = tiles(g, n);
        int inH = g.inH();
        int inW = g.inW();
        int inPlane = inH * inW;
        int pad = g.padTop();
        int tilesH = (g.outH() + 1) / 2;
        int tilesW = (g.outW() + 1) / 2;
        int perSample = tilesH * tilesW;
        int pw = 2 * tilesW + 2;
        int ph = 2 * tilesH + 2;
        int stride = positionStride(c, tiles);
        Blas.parallelRows(c, threads, (long) c * tiles * 48, ch -> {
            float[] plane = new float[ph * pw];
            float[] t = new float[16];
            for (int s = 0; s < n; s++) {
                int xo = (s * c + ch) * inPlane;
                for (int iy = 0; iy < inH && iy + pad < ph; iy++) {
                    System.arraycopy(x, xo + iy * inW, plane, (iy + pad) * pw + pad, Math.min(inW, pw - pad));
                }
                int base = ch * tiles + s * perSample;
                for (int ty = 0; ty < tilesH; ty++) {
                    int r0 = 2 * ty * pw;
                    int r1 = r0 + pw;
                    int r2 = r1 + pw;
                    int r3 = r2 + pw;
                    for (int tx = 0; tx < tilesW; tx++) {
                        int col = 2 * tx;
                        int o = base + ty * tilesW + tx;
                        // t = B^T d (rows), column k of the tile
                        for (int k = 0; k < 4; k++) {
                            float d0 = plane[r0 + col + k];
                            float d1 = plane[r1 + col + k];
                            float d2 = plane[r2 + col + k];
                            float d3 = plane[r3 + col + k];
                            t[k] = d0 - d2;
                            t[4 + k] = d1 + d2;
                            t[8 + k] = d2 - d1;
                            t[12 + k] = d1 - d3;
                        }
                        // (t B)[i][j] into V[4 i + j]
                        for (int i = 0; i < 4; i++) {
                            float t0 = t[4 * i];
                            float t1 = t[4 * i + 1];
                            float t2 = t[4 * i + 2];
                            float t3 = t[4 * i + 3];
                            int at = o + 4 * i * stride;
                            v[at] = t0 - t2;
                            v[at + stride] = t1 + t2;
                            v[at + 2 * stride] = t2 - t1;
                            v[at + 3 * stride] = t1 - t3;
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code dW[f][ch] = G^T dU[f][ch] G} (4x4 to 3x3): the rows first ({@code X0 + (X1 + X2) / 2, (X1 - X2) / 2,
     * (X1 + X2) / 2 + X3}), then the same on the columns; overwritten or added into {@code dw}. Filters over the
     * threads.
     */
    static void kernelGradient(float[] du, int m, int c, float[] dw, boolean addToDw, int threads) {
        int stride = positionStride(m, c);
        Blas.parallelRows(m, threads, (long) m * c * 40, f -> {
            float[] z = new float[12];
            for (int ch = 0; ch < c; ch++) {
                int p = f * c + ch;
                for (int j = 0; j < 4; j++) {
                    float x0 = du[p + j * stride];
                    float x1 = du[p + (4 + j) * stride];
                    float x2 = du[p + (8 + j) * stride];
                    float x3 = du[p + (12 + j) * stride];
                    float half = 0.5f * (x1 + x2);
                    z[j] = x0 + half;
                    z[4 + j] = 0.5f * (x1 - x2);
                    z[8 + j] = half + x3;
                }
                int o = p * 9;
                for (int a = 0; a < 3; a++) {
                    float z0 = z[4 * a];
                    float z1 = z[4 * a + 1];
                    float z2 = z[4 * a + 2];
                    float z3 = z[4 * a + 3];
                    float half = 0.5f * (z1 + z2);
                    float w0 = z0 + half;
                    float w1 = 0.5f * (z1 - z2);
                    float w2 = half + z3;
                    if (addToDw) {
                        dw[o + 3 * a] += w0;
                        dw[o + 3 * a + 1] += w1;
                        dw[o + 3 * a + 2] += w2;
                    } else {
                        dw[o + 3 * a] = w0;
                        dw[o + 3 * a + 1] = w1;
                        dw[o + 3 * a + 2] = w2;
                    }
                }
            }
        });
    }

    /**
     * {@code dX += B dV B^T} over the tiles: channels over the threads; for each sample, the tiles in order add
     * their 4x4 patches into a zero padded plane, whose inside is then added into {@code dx}. {@code B X} on the
     * rows ({@code X0, X1 - X2 + X3, X1 + X2 - X0, -X3}), then the same on the columns.
     */
    static void inputGradient(Window g, int n, int c, float[] dv, float[] dx, int threads) {
        int tiles = tiles(g, n);
        int inH = g.inH();
        int inW = g.inW();
        int inPlane = inH * inW;
        int pad = g.padTop();
        int tilesH = (g.outH() + 1) / 2;
        int tilesW = (g.outW() + 1) / 2;
        int perSample = tilesH * tilesW;
        int pw = 2 * tilesW + 2;
        int ph = 2 * tilesH + 2;
        int stride = positionStride(c, tiles);
        Blas.parallelRows(c, threads, (long) c * tiles * 48, ch -> {
            float[] plane = new float[ph * pw];
            float[] r = new float[16];
            for (int s = 0; s < n; s++) {
                java.util.Arrays.fill(plane, 0f);
                int base = ch * tiles + s * perSample;
                for (int ty = 0; ty < tilesH; ty++) {
                    for (int tx = 0; tx < tilesW; tx++) {
                        int o = base + ty * tilesW + tx;
                        // rows of B dV, column j
                        for (int j = 0; j < 4; j++) {
                            float x0 = dv[o + j * stride];
                            float x1 = dv[o + (4 + j) * stride];
                            float x2 = dv[o + (8 + j) * stride];
                            float x3 = dv[o + (12 + j) * stride];
                            r[j] = x0;
                            r[4 + j] = x1 - x2 + x3;
                            r[8 + j] = x1 + x2 - x0;
                            r[12 + j] = -x3;
                        }
                        int at = 2 * ty * pw + 2 * tx;
                        for (int i = 0; i < 4; i++) {
                            float y0 = r[4 * i];
                            float y1 = r[4 * i + 1];
                            float y2 = r[4 * i + 2];
                            float y3 = r[4 * i + 3];
                            int q = at + i * pw;
                            plane[q] += y0;
                            plane[q + 1] += y1 - y2 + y3;
                            plane[q + 2] += y1 + y2 - y0;
                            plane[q + 3] += -y3;
                        }
                    }
                }
                int xo = (s * c + ch) * inPlane;
                for (int iy = 0; iy < inH; iy++) {
                    int from = (iy + pad) * pw + pad;
                    int to = xo + iy * inW;
                    for (int ix = 0; ix < inW; ix++) {
                        dx[to + ix] += plane[from + ix];
                    }
                }
            }
        });
    }
}
