package org.modelbench.onnx.internal;

/**
 * The convolution shapes that need no unfolded input: depthwise (one input channel per group) and
 * pointwise (1x1, stride 1, no padding). Each computes exactly what im2col + SGEMM computes, bit
 * for bit: an output is the chain {@code acc = fma(w[p], x[p], acc)} over the taps {@code p} in
 * (ky, kx) order from zero, then the bias added; a tap over zero padding leaves the chain as it is
 * (an accumulator that starts at +0 never becomes -0), so it is skipped.
 */
final class DirectConv {
    private DirectConv() {
    }

    /** Whether the unfolded input of a {@code g} window would equal the input itself (1x1, stride 1, no padding). */
    static boolean pointwise(Window g) {
        return g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.padTop() == 0 && g.padLeft() == 0
                && g.padBottom() == 0 && g.padRight() == 0;
    }

    /**
     * Depthwise forward for one input plane {@code x[xOff..]}: {@code filters} output planes at
     * {@code y[yOff..]} (only written) from the kernels at {@code w[wOff..]} ({@code kh * kw} each).
     */
    static void depthwiseForward(Window g, float[] x, int xOff, float[] w, int wOff, int filters, float[] y, int yOff) {
        int outPlane = g.outH() * g.outW();
        int taps = g.kh() * g.kw();
        java.util.Arrays.fill(y, yOff, yOff + filters * outPlane, 0f);
        for (int f = 0; f < filters; f++) {
            int yo = yOff + f * outPlane;
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    float wv = w[wOff + f * taps + ky * g.kw() + kx];
                    int ox0 = firstInside(g.padLeft() - kx * g.dw(), g.sw());
                    int ox1 = lastInside(g.inW() - 1 + g.padLeft() - kx * g.dw(), g.sw(), g.outW());
                    if (ox0 > ox1) {
                        continue;
                    }
                    for (int oy = 0; oy < g.outH(); oy++) {
                        int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                        if (iy < 0 || iy >= g.inH()) {
                            continue;
                        }
                        int xr = xOff + iy * g.inW() - g.padLeft() + kx * g.dw();
                        int yr = yo + oy * g.outW();
                        if (g.sw() == 1) {
                            for (int ox = ox0; ox <= ox1; ox++) {
                                y[yr + ox] = Math.fma(wv, x[xr + ox], y[yr + ox]);
                            }
                        } else {
                            for (int ox = ox0; ox <= ox1; ox++) {
                                y[yr + ox] = Math.fma(wv, x[xr + ox * g.sw()], y[yr + ox]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Depthwise backward for one input plane over a batch: {@code dw[wOff..]} accumulates the kernel
     * gradient (samples in order, outputs in order within a sample: SGEMM's chain), and
     * {@code dx} gets each sample's input gradient (only written). Planes of sample {@code s} sit at
     * {@code xOff + s * xStride} and {@code dyOff + s * yStride}. A {@code null} {@code dw} or {@code dx} is not computed.
     */
    static void depthwiseBackward(Window g, int samples, float[] x, int xOff, int xStride, float[] w, int wOff,
                                  int filters, float[] dy, int dyOff, int yStride, float[] dw, float[] dx) {
        int outPlane = g.outH() * g.outW();
        int inPlane = g.inH() * g.inW();
        int taps = g.kh() * g.kw();
        int kw = g.kw();
        for (int f = 0; f < filters && dw != null; f++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int ox0 = firstInside(g.padLeft() - kx * g.dw(), g.sw());
                    int ox1 = lastInside(g.inW() - 1 + g.padLeft() - kx * g.dw(), g.sw(), g.outW());
                    float acc = dw[wOff + f * taps + ky * kw + kx];
                    for (int s = 0; s < samples && ox0 <= ox1; s++) {
                        int xs = xOff + s * xStride;
                        int ys = dyOff + s * yStride + f * outPlane;
                        for (int oy = 0; oy < g.outH(); oy++) {
                            int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                            if (iy < 0 || iy >= g.inH()) {
                                continue;
                            }
                            int xr = xs + iy * g.inW() - g.padLeft() + kx * g.dw();
                            int yr = ys + oy * g.outW();
                            for (int ox = ox0; ox <= ox1; ox++) {
                                acc = Math.fma(dy[yr + ox], x[xr + ox * g.sw()], acc);
                            }
                        }
                    }
                    dw[wOff + f * taps + ky * kw + kx] = acc;
                }
            }
        }
        // dx: col2im's order (taps, then outputs) of dcol = W^T dY, each dcol element the chain over filters
        for (int s = 0; s < samples && dx != null; s++) {
            int xs = xOff + s * xStride;
            java.util.Arrays.fill(dx, xs, xs + inPlane, 0f);
            int ys = dyOff + s * yStride;
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int p = ky * kw + kx;
                    int ox0 = firstInside(g.padLeft() - kx * g.dw(), g.sw());
                    int ox1 = lastInside(g.inW() - 1 + g.padLeft() - kx * g.dw(), g.sw(), g.outW());
                    if (ox0 > ox1) {
                        continue;
                    }
                    for (int oy = 0; oy < g.outH(); oy++) {
                        int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                        if (iy < 0 || iy >= g.inH()) {
                            continue;
                        }
                        int xr = xs + iy * g.inW() - g.padLeft() + kx * g.dw();
                        int yr = ys + oy * g.outW();
                        if (filters == 1) {
                            float wv = w[wOff + p];
                            for (int ox = ox0; ox <= ox1; ox++) {
                                dx[xr + ox * g.sw()] += Math.fma(wv, dy[yr + ox], 0f);
                            }
                        } else {
                            for (int ox = ox0; ox <= ox1; ox++) {
                                float d = 0f;
                                for (int f = 0; f < filters; f++) {
                                    d = Math.fma(w[wOff + f * taps + p], dy[yr + f * outPlane + ox], d);
                                }
                                dx[xr + ox * g.sw()] += d;
                            }
                        }
                    }
                }
            }
        }
    }

    /** The first output index whose tap {@code ox * stride - offset} is >= 0. */
    private static int firstInside(int offset, int stride) {
        return offset <= 0 ? 0 : (offset + stride - 1) / stride;
    }

    /** The last output index (below {@code outW}) whose tap {@code ox * stride} is <= {@code limit}. */
    private static int lastInside(int limit, int stride, int outW) {
        return limit < 0 ? -1 : Math.min(outW - 1, limit / stride);
    }
}
