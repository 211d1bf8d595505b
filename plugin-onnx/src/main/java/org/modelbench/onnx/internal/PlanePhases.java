package org.modelbench.onnx.internal;

/**
 * Depthwise convolution and max pooling forward in a flat layout that vectorises whatever the
 * plane size: the padded input plane is split into {@code sh x sw} phase planes
 * ({@code phase[ry][rx][i][j] = padded[i*sh + ry][j*sw + rx]}) of pitch {@code wq}, so that every
 * tap reads a contiguous run at a fixed offset from the flat output index {@code q = oy*wq + ox};
 * outputs {@code ox >= outW} of a row are computed and dropped.
 *
 * <p>Bits: a depthwise output is {@code acc = fma(w[t], x[t], acc)} over the taps in (ky, kx) order
 * from +0, padding included as zeros, which is exactly im2col + SGEMM's chain; then the
 * {@link Epilogue}. A max pooling output is the {@code Math.max} of its taps, padding included as
 * -infinity (which changes no maximum). For unit dilation and strides 1 or 2 ({@link #handles});
 * {@link DirectConv} and the pooling loop do the rest.
 */
final class PlanePhases {
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private final Window g;
    private final int wq;
    private final int segment;
    private final int flat;
    private final int[] tapOffset;

    private PlanePhases(Window g) {
        this.g = g;
        int hp = g.inH() + g.padTop() + g.padBottom();
        int wp = g.inW() + g.padLeft() + g.padRight();
        int hq = (hp + g.sh() - 1) / g.sh();
        wq = (wp + g.sw() - 1) / g.sw();
        flat = roundUp(g.outH() * wq, VectorSupport.VL);
        tapOffset = new int[g.kh() * g.kw()];
        int maxOffset = 0;
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                tapOffset[ky * g.kw() + kx] = (ky / g.sh()) * wq + kx / g.sw();
                maxOffset = Math.max(maxOffset, tapOffset[ky * g.kw() + kx]);
            }
        }
        // a phase plane's rows, then room for the last vector's reads past them
        segment = Math.max(hq * wq, flat + maxOffset);
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                tapOffset[ky * g.kw() + kx] += ((ky % g.sh()) * g.sw() + kx % g.sw()) * segment;
            }
        }
    }

    /** Whether this path computes windows of {@code g}: unit dilation, strides 1 or 2, windows inside the padded input. */
    static boolean handles(Window g) {
        return g.dh() == 1 && g.dw() == 1 && g.sh() <= 2 && g.sw() <= 2
                && (g.outH() - 1) * g.sh() + g.kh() <= g.inH() + g.padTop() + g.padBottom()
                && (g.outW() - 1) * g.sw() + g.kw() <= g.inW() + g.padLeft() + g.padRight();
    }

    /** The flat layout for windows of {@code g} (see {@link #handles}). */
    static PlanePhases of(Window g) {
        return new PlanePhases(g);
    }

    /**
     * One input plane {@code x[xOff..]} to {@code filters} output planes at {@code y[yOff..]} (only
     * written), kernels at {@code w[wOff..]}, biases at {@code b[bOff..]} (or none), then the epilogue
     * with the residual planes at the same offsets as {@code y}.
     */
    void depthwise(float[] x, int xOff, float[] w, int wOff, int filters, float[] b, int bOff, float[] y, int yOff,
                   float[] residual, Epilogue epilogue) {
        float[][] scratch = scratch();
        float[] xp = scratch[0];
        float[] out = scratch[1];
        split(x, xOff, xp, 0f);
        int taps = tapOffset.length;
        int outPlane = g.outH() * g.outW();
        for (int f = 0; f < filters; f++) {
            if (VectorSupport.AVAILABLE) {
                VectorLoops.depthwisePlane(xp, tapOffset, w, wOff + f * taps, out, flat);
            } else {
                for (int q = 0; q < flat; q++) {
                    float acc = 0f;
                    for (int t = 0; t < taps; t++) {
                        acc = Math.fma(w[wOff + f * taps + t], xp[q + tapOffset[t]], acc);
                    }
                    out[q] = acc;
                }
            }
            int yo = yOff + f * outPlane;
            extract(out, y, yo);
            epilogue.apply(y, yo, outPlane, b != null, b != null ? b[bOff + f] : 0f, residual, yo);
        }
    }

    /** Max pooling of the input plane {@code x[xOff..]} into the output plane {@code y[yOff..]} (only written). */
    void maxPool(float[] x, int xOff, float[] y, int yOff) {
        float[][] scratch = scratch();
        float[] xp = scratch[0];
        float[] out = scratch[1];
        split(x, xOff, xp, Float.NEGATIVE_INFINITY);
        if (VectorSupport.AVAILABLE) {
            VectorLoops.maxPlane(xp, tapOffset, out, flat);
        } else {
            for (int q = 0; q < flat; q++) {
                float acc = Float.NEGATIVE_INFINITY;
                for (int offset : tapOffset) {
                    acc = Math.max(acc, xp[q + offset]);
                }
                out[q] = acc;
            }
        }
        extract(out, y, yOff);
    }

    /** This thread's phase and output buffers, large enough for this geometry. */
    private float[][] scratch() {
        float[][] scratch = SCRATCH.get();
        int phases = g.sh() * g.sw();
        if (scratch[0].length < phases * segment) {
            scratch[0] = new float[phases * segment];
        }
        if (scratch[1].length < flat) {
            scratch[1] = new float[flat];
        }
        return scratch;
    }

    /** Copies the valid columns of the flat output rows into the output plane at {@code y[yOff..]}. */
    private void extract(float[] out, float[] y, int yOff) {
        for (int oy = 0; oy < g.outH(); oy++) {
            System.arraycopy(out, oy * wq, y, yOff + oy * g.outW(), g.outW());
        }
    }

    /** Writes the phase planes of the input plane {@code x[xOff..]}, padded with {@code fill}, into {@code xp}. */
    private void split(float[] x, int xOff, float[] xp, float fill) {
        int sh = g.sh();
        int sw = g.sw();
        java.util.Arrays.fill(xp, 0, sh * sw * segment, fill);
        for (int ry = 0; ry < sh; ry++) {
            for (int rx = 0; rx < sw; rx++) {
                int base = (ry * sw + rx) * segment;
                // columns j with 0 <= j*sw + rx - padLeft < inW
                int j0 = Math.max(0, ceilDiv(g.padLeft() - rx, sw));
                int j1 = Math.min(wq - 1, Math.floorDiv(g.inW() - 1 + g.padLeft() - rx, sw));
                if (j0 > j1) {
                    continue;
                }
                for (int i = 0; ; i++) {
                    int iy = i * sh + ry - g.padTop();
                    if (iy >= g.inH() || base + (i + 1) * wq > base + segment) {
                        break;
                    }
                    if (iy < 0) {
                        continue;
                    }
                    int src = xOff + iy * g.inW() + j0 * sw + rx - g.padLeft();
                    int dst = base + i * wq + j0;
                    if (sw == 1) {
                        System.arraycopy(x, src, xp, dst, j1 - j0 + 1);
                    } else {
                        for (int j = 0; j <= j1 - j0; j++) {
                            xp[dst + j] = x[src + j * sw];
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }
}
