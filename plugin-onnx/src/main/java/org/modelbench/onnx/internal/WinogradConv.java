package org.modelbench.onnx.internal;

/**
 * The Winograd F(2x2,3x3) forward of one sample's 3x3 convolution (stride 1, dilation 1, one group, pads all 0
 * or all 1): each 4x4 input tile {@code d} becomes {@code V = B^T d B}, each filter {@code g} becomes
 * {@code U = G g G^T} ({@link Filters}, transformed once per weight array), the 16 positions of a tile multiply as
 * 16 matrix products {@code M[xi] = U[xi] (M x C) V[xi] (C x tiles)}, and {@code Y = A^T M A} gives each tile's
 * 2x2 outputs, then the {@link Epilogue}. 2.25 times fewer multiplications than im2col + SGEMM, at the price of
 * the transforms (in vectors across a row of tiles, {@link WinogradTransforms}) and of another rounding: the
 * products sum over the channels in the transformed domain, so outputs differ from im2col's in the last bits
 * (about {@code 2 eps sqrt(9C)} relative to the sum of magnitudes, see {@code WinogradConvTest}).
 *
 * <p>Tiles are taken in blocks of whole tile rows ({@link #rowsPerBlock}: about {@value #BLOCK_TILES} tiles, a
 * function of the layer), so that a block's transformed input and products stay in the core's cache between the
 * transforms and the products. Products run on {@link Blas#convGemm}: OpenBLAS when selected, its shape
 * (M x block x C) fixed by the layer, else the Java kernel whose columns never depend on each other; either way a
 * sample's bits depend on the layer alone, never on its batch or the thread count.
 *
 * <p>Lifecycle: {@link Filters#transformed} gives an instance for one call's weights; {@link #forwardSample} runs
 * one sample and may run concurrently on several threads (each uses its own scratch).
 */
final class WinogradConv {
    /** Input and output channels a layer needs at least for Winograd (measured on this host: see {@link #suits}). */
    static final int MIN_CHANNELS = 64;
    /** 2x2 output tiles per sample a layer needs at least (measured on this host: see {@link #suits}). */
    static final int MIN_TILES = 64;
    /** Tiles per block of tile rows, about (a block is at least one tile row). */
    static final int BLOCK_TILES = 256;

    /** Each thread's scratch: the block's transformed input, its products, the input's phase rows, the output tile rows. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    private final Window g;
    private final int c;
    private final int m;
    /** The transformed filters, {@code u[(xi * m + f) * c + ch]}. */
    private final float[] u;
    private final int tilesH;
    private final int tilesW;
    private final int pad;
    /** Floats per phase row and per output tile row: whole vectors beyond {@code tilesW + 1}. */
    private final int phaseWidth;

    private WinogradConv(Window g, int c, int m, float[] u) {
        this.g = g;
        this.c = c;
        this.m = m;
        this.u = u;
        this.tilesH = (g.outH() + 1) / 2;
        this.tilesW = (g.outW() + 1) / 2;
        this.pad = g.padTop();
        int vl = VectorSupport.VL;
        this.phaseWidth = (tilesW + vl - 1) / vl * vl + vl;
    }

    /**
     * Whether a Conv runs here: a 3x3 kernel, stride 1, dilation 1, one group, pads all 0 or all 1, at least
     * {@value #MIN_CHANNELS} input and output channels and {@value #MIN_TILES} 2x2 output tiles per sample. A rule
     * of the layer's shape alone, so a sample's bits never depend on its batch or the thread count.
     *
     * <p>Thresholds measured 2026-12-02 on this host (Xeon Emerald Rapids, AVX-512, OpenBLAS 0.3.21), per layer at
     * batch 8 on 2 threads against im2col + SGEMM ({@code WinogradLayerBench} in the tests, under load 4-6), with
     * OpenBLAS's Cooperlake kernels, its Prescott ones (what 0.3.21 picks for this CPU model) and the Java kernel:
     * VGG16's layers at 150x150 (5625 to 81 tiles, 64 to 512 channels) 1.0-1.8x faster, ResNet-18's 28x28 layer
     * (196 tiles) 1.2-1.7x; the 9x9 plane (25 tiles, 512 channels) 0.5-0.8x and the 14x14 one (49 tiles, 128
     * channels) 0.85-0.92x with the Cooperlake and Java kernels (faster only with Prescott's), 7x7 and 4x4 planes
     * slower with all three.
     */
    static boolean suits(Window g, int group, int c, int m) {
        boolean pads = g.padTop() == g.padLeft() && g.padTop() == g.padBottom() && g.padTop() == g.padRight()
                && (g.padTop() == 0 || g.padTop() == 1);
        return group == 1 && g.kh() == 3 && g.kw() == 3 && g.sh() == 1 && g.sw() == 1 && g.dh() == 1 && g.dw() == 1
                && pads && c >= MIN_CHANNELS && m >= MIN_CHANNELS
                && (long) ((g.outH() + 1) / 2) * ((g.outW() + 1) / 2) >= MIN_TILES;
    }

    /** The rule of {@link #suits}, for provenance. */
    static String rule() {
        return "Winograd F(2x2,3x3) for 3x3 stride-1 group-1 convs with pads 0 or 1, >= " + MIN_CHANNELS
                + " in and out channels and >= " + MIN_TILES + " 2x2 tiles per sample, blocks of ~" + BLOCK_TILES
                + " tiles";
    }

    /** Tile rows per block: about {@value #BLOCK_TILES} tiles, at least one row (a function of the layer alone). */
    int rowsPerBlock() {
        return Math.max(1, Math.min(tilesH, BLOCK_TILES / tilesW));
    }

    private static float[] scratch(int which, int size) {
        float[][] s = SCRATCH.get();
        if (s[which].length < size) {
            s[which] = new float[size];
        }
        return s[which];
    }

    /**
     * {@code y[yOff ..] = epilogue(conv(x[xOff ..], w) + b (+ residual))} for one sample ({@code c x inH x inW} in,
     * {@code m x outH x outW} out); the residual, if any, at the output's offsets.
     *
     * @param threads threads for the products (1 when the caller spreads samples over the threads)
     */
    void forwardSample(float[] x, int xOff, float[] b, float[] y, int yOff, float[] residual, Epilogue epilogue,
                       int threads) {
        int rows = rowsPerBlock();
        int vl = VectorSupport.VL;
        int maxTiles = rows * tilesW;
        int ldv = maxTiles + vl;
        float[] v = scratch(0, 16 * c * ldv);
        float[] prod = scratch(1, 16 * m * maxTiles + vl);
        float[] phases = scratch(2, (2 * rows + 2) * 2 * phaseWidth);
        float[] out = scratch(3, 4 * phaseWidth);
        boolean perSample = Blas.convPerSample();
        int outPlane = g.outH() * g.outW();
        for (int ty0 = 0; ty0 < tilesH; ty0 += rows) {
            int ty1 = Math.min(tilesH, ty0 + rows);
            int tiles = (ty1 - ty0) * tilesW;
            for (int ch = 0; ch < c; ch++) {
                splitPhases(x, xOff + ch * g.inH() * g.inW(), phases, ty0, ty1);
                for (int ty = ty0; ty < ty1; ty++) {
                    WinogradTransforms.input(phases, 2 * (ty - ty0) * 2 * phaseWidth, phaseWidth, tilesW, v,
                            ch * ldv + (ty - ty0) * tilesW, c * ldv);
                }
            }
            for (int xi = 0; xi < 16; xi++) {
                Blas.convGemm(perSample, m, tiles, c, u, xi * m * c, v, xi * c * ldv, ldv, prod, xi * m * tiles, tiles,
                        threads);
            }
            for (int f = 0; f < m; f++) {
                for (int ty = ty0; ty < ty1; ty++) {
                    WinogradTransforms.output(prod, f * tiles + (ty - ty0) * tilesW, m * tiles, tilesW, out, phaseWidth);
                    int oy = 2 * ty;
                    int outRows = Math.min(2, g.outH() - oy);
                    int o = yOff + f * outPlane + oy * g.outW();
                    interleave(out, y, o, outRows);
                    epilogue.apply(y, o, outRows * g.outW(), b != null, b != null ? b[f] : 0f, residual, o);
                }
            }
        }
    }

    /**
     * The padded input rows {@code 2 ty0 .. 2 ty1 + 1} of one channel split into even and odd columns:
     * {@code phases[(2 r + p) * phaseWidth + j] = xpad[2 ty0 + r][2 j + p]}, zero outside the input.
     */
    private void splitPhases(float[] x, int planeOff, float[] phases, int ty0, int ty1) {
        int inH = g.inH();
        int inW = g.inW();
        int pw = phaseWidth;
        int rowsIn = 2 * (ty1 - ty0) + 2;
        for (int r = 0; r < rowsIn; r++) {
            int iy = 2 * ty0 + r - pad;
            int even = 2 * r * pw;
            int odd = even + pw;
            if (iy < 0 || iy >= inH) {
                java.util.Arrays.fill(phases, even, odd + pw, 0f);
                continue;
            }
            WinogradTransforms.splitRow(x, planeOff + iy * inW, inW, pad, phases, even, odd);
            // zeros left of the input (pad 1: the even phase's first) and right of it
            int evenEnd = pad == 0 ? (inW + 1) / 2 : 1 + inW / 2;
            int oddEnd = pad == 0 ? inW / 2 : (inW + 1) / 2;
            phases[even] = pad == 0 ? phases[even] : 0f;
            java.util.Arrays.fill(phases, even + evenEnd, even + pw, 0f);
            java.util.Arrays.fill(phases, odd + oddEnd, odd + pw, 0f);
        }
    }

    /** Output rows {@code 2 ty, 2 ty + 1} (the first {@code outRows}) from the tile row's four output phases. */
    private void interleave(float[] out, float[] y, int o, int outRows) {
        int outW = g.outW();
        int pw = phaseWidth;
        int pairs = outW / 2;
        for (int r = 0; r < outRows; r++) {
            int left = 2 * r * pw;
            int right = left + pw;
            WinogradTransforms.interleaveRow(out, left, right, pairs, y, o + r * outW);
            if (outW % 2 != 0) {
                y[o + r * outW + outW - 1] = out[left + pairs];
            }
        }
    }

    /**
     * The transformed filters of one weight array, kept across calls: {@link #transformed} returns them while the
     * weights are the same array with the same contents (a parameter trained in place keeps its array but changes
     * its contents, so the contents are compared with a copy: one vectorised pass over the weights, about 1% of a
     * layer's time), else transforms again. Safe for concurrent callers (one immutable entry, replaced whole).
     */
    static final class Filters {
        private record Entry(float[] weights, float[] copy, int m, int c, float[] u) {
        }

        private volatile Entry entry;

        /** The Winograd convolution for window {@code g} with weights {@code w} [m, c, 3, 3]. */
        WinogradConv transformed(Window g, float[] w, int m, int c) {
            Entry e = entry;
            if (e == null || e.weights() != w || e.m() != m || e.c() != c
                    || !java.util.Arrays.equals(w, 0, m * c * 9, e.copy(), 0, m * c * 9)) {
                e = new Entry(w, java.util.Arrays.copyOf(w, m * c * 9), m, c, transform(w, m, c));
                entry = e;
            }
            return new WinogradConv(g, c, m, e.u());
        }

        /** Whether the last call transformed its weights (for tests: false while they are reused). */
        boolean holds(float[] w) {
            Entry e = entry;
            return e != null && e.weights() == w;
        }

        /** The cached transform (for tests), or null. */
        float[] cached() {
            Entry e = entry;
            return e == null ? null : e.u();
        }
    }

    /**
     * {@code U = G g G^T} for every filter and channel, {@code u[(xi * m + f) * c + ch]} with
     * {@code G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]}, computed in double and rounded once.
     */
    static float[] transform(float[] w, int m, int c) {
        float[] u = new float[16 * m * c];
        double[] t = new double[12];
        for (int f = 0; f < m; f++) {
            for (int ch = 0; ch < c; ch++) {
                int o = (f * c + ch) * 9;
                // t = G g (4 x 3)
                for (int j = 0; j < 3; j++) {
                    double g0 = w[o + j];
                    double g1 = w[o + 3 + j];
                    double g2 = w[o + 6 + j];
                    t[j] = g0;
                    t[3 + j] = 0.5 * (g0 + g1 + g2);
                    t[6 + j] = 0.5 * (g0 - g1 + g2);
                    t[9 + j] = g2;
                }
                // u = t G^T (4 x 4)
                for (int i = 0; i < 4; i++) {
                    double a = t[3 * i];
                    double bb = t[3 * i + 1];
                    double cc = t[3 * i + 2];
                    double[] row = {a, 0.5 * (a + bb + cc), 0.5 * (a - bb + cc), cc};
                    for (int j = 0; j < 4; j++) {
                        u[((4 * i + j) * m + f) * c + ch] = (float) row[j];
                    }
                }
            }
        }
        return u;
    }
}
