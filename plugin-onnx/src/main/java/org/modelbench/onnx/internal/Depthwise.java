package org.modelbench.onnx.internal;

/**
 * Depthwise convolution forward (one input channel per group) in a flat layout that vectorises
 * whatever the plane size: the zero-padded input plane is split into {@code sh x sw} phase planes
 * ({@code phase[ry][rx][i][j] = padded[i*sh + ry][j*sw + rx]}) of pitch {@code wq}, so that every
 * tap reads a contiguous run at a fixed offset from the flat output index {@code q = oy*wq + ox};
 * outputs {@code ox >= outW} of a row are computed and dropped.
 *
 * <p>Bits: each output is {@code acc = fma(w[t], x[t], acc)} over the taps in (ky, kx) order from
 * +0, padding included as zeros, which is exactly im2col + SGEMM's chain; then the {@link Epilogue}.
 * For unit dilation and strides 1 or 2 ({@link #handles}); {@link DirectConv} does the rest.
 */
final class Depthwise {
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private final Window g;
    private final int wq;
    private final int segment;
    private final int flat;
    private final int[] tapOffset;

    private Depthwise(Window g) {
        this.g = g;
        int hp = g.inH() + g.padTop() + g.padBottom();
        int wp = g.inW() + g.padLeft() + g.padRight();
        int hq = (hp + g.sh() - 1) / g.sh();
        wq = (wp + g.sw() - 1) / g.sw();
        flat = roundUp(g.outH() * wq, VectorLoops.VL);
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
    static Depthwise of(Window g) {
        return new Depthwise(g);
    }

    /**
     * One input plane {@code x[xOff..]} to {@code filters} output planes at {@code y[yOff..]} (only
     * written), kernels at {@code w[wOff..]}, biases at {@code b[bOff..]} (or none), then the epilogue
     * with the residual planes at the same offsets as {@code y}.
     */
    void forward(float[] x, int xOff, float[] w, int wOff, int filters, float[] b, int bOff, float[] y, int yOff,
                 float[] residual, Epilogue epilogue) {
        int phases = g.sh() * g.sw();
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < phases * segment) {
            scratch[0] = new float[phases * segment];
        }
        if (scratch[1].length < flat) {
            scratch[1] = new float[flat];
        }
        float[] xp = scratch[0];
        float[] out = scratch[1];
        split(x, xOff, xp);
        int taps = tapOffset.length;
        int outPlane = g.outH() * g.outW();
        for (int f = 0; f < filters; f++) {
            if (VectorLoops.AVAILABLE) {
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
            for (int oy = 0; oy < g.outH(); oy++) {
                System.arraycopy(out, oy * wq, y, yo + oy * g.outW(), g.outW());
            }
            epilogue.apply(y, yo, outPlane, b != null, b != null ? b[bOff + f] : 0f, residual, yo);
        }
    }

    /** Writes the phase planes of the zero-padded input plane {@code x[xOff..]} into {@code xp}. */
    private void split(float[] x, int xOff, float[] xp) {
        int sh = g.sh();
        int sw = g.sw();
        java.util.Arrays.fill(xp, 0, sh * sw * segment, 0f);
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
