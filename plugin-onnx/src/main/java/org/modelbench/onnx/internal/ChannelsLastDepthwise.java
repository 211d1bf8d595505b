package org.modelbench.onnx.internal;

/**
 * Depthwise convolution forward for small planes (one filter per channel): a sample's zero-padded
 * input is transposed to channels-last, every output position is a Vector API run across the
 * channels, and the result is transposed back, so that the cost per channel does not include the
 * fixed cost of a plane. Bits: each output is {@code acc = fma(w[t], x[t], acc)} over the taps in
 * (ky, kx) order from +0, padding included as zeros (im2col + SGEMM's chain), then the
 * {@link Epilogue} (without a residual, in vectors across the channels before the transpose back).
 */
final class ChannelsLastDepthwise {
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private final Window g;
    private final int channels;
    private final int wp;
    private final int padded;
    private final int[] tapOffset;
    private final float[] wt;

    /**
     * @param w the kernels [channels, 1, kh, kw]
     */
    ChannelsLastDepthwise(Window g, int channels, float[] w) {
        this.g = g;
        this.channels = channels;
        wp = g.inW() + g.padLeft() + g.padRight();
        padded = (g.inH() + g.padTop() + g.padBottom()) * wp * channels;
        int taps = g.kh() * g.kw();
        tapOffset = new int[taps];
        wt = new float[taps * channels];
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                int t = ky * g.kw() + kx;
                tapOffset[t] = (ky * wp + kx) * channels;
                for (int ch = 0; ch < channels; ch++) {
                    wt[t * channels + ch] = w[ch * taps + t];
                }
            }
        }
    }

    /**
     * Whether this path suits windows of {@code g} over {@code channels} planes: many channels, unit
     * dilation, and output planes small enough that the transposes cost less than the fixed cost of
     * a plane in {@link PlanePhases} (measured: up to 16 outputs at stride 1, 144 at stride 2, whose
     * phase split is a strided copy).
     */
    static boolean suits(Window g, int channels) {
        int most = g.sh() * g.sw() > 1 ? 144 : 16;
        return g.outH() * g.outW() <= most && channels >= 2 * VectorSupport.VL && g.dh() == 1 && g.dw() == 1
                && (g.outH() - 1) * g.sh() + g.kh() <= g.inH() + g.padTop() + g.padBottom()
                && (g.outW() - 1) * g.sw() + g.kw() <= g.inW() + g.padLeft() + g.padRight();
    }

    /**
     * One sample: input planes at {@code x[xOff..]}, output planes at {@code y[yOff..]} (only
     * written), biases {@code b} (or null), residual planes at the same offsets as {@code y}.
     */
    void forward(float[] x, int xOff, float[] b, float[] y, int yOff, float[] residual, Epilogue epilogue) {
        int outPlane = g.outH() * g.outW();
        int inPlane = g.inH() * g.inW();
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < padded) {
            scratch[0] = new float[padded];
        }
        if (scratch[1].length < outPlane * channels) {
            scratch[1] = new float[outPlane * channels];
        }
        float[] xt = scratch[0];
        float[] ot = scratch[1];
        java.util.Arrays.fill(xt, 0, padded, 0f);
        for (int ch = 0; ch < channels; ch++) {
            int src = xOff + ch * inPlane;
            for (int iy = 0; iy < g.inH(); iy++) {
                int dst = ((iy + g.padTop()) * wp + g.padLeft()) * channels + ch;
                for (int ix = 0; ix < g.inW(); ix++) {
                    xt[dst + ix * channels] = x[src + iy * g.inW() + ix];
                }
            }
        }
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                int base = (oy * g.sh() * wp + ox * g.sw()) * channels;
                int o = (oy * g.outW() + ox) * channels;
                int done = VectorSupport.AVAILABLE ? VectorLoops.channelRun(xt, base, tapOffset, wt, channels, ot, o) : 0;
                for (int ch = done; ch < channels; ch++) {
                    float acc = 0f;
                    for (int t = 0; t < tapOffset.length; t++) {
                        acc = Math.fma(wt[t * channels + ch], xt[base + tapOffset[t] + ch], acc);
                    }
                    ot[o + ch] = acc;
                }
            }
        }
        // without a residual, the epilogue in vectors across the channels before the transpose back
        boolean early = residual == null && VectorSupport.AVAILABLE;
        if (early && (epilogue.kind() != Epilogue.Kind.NONE || b != null)) {
            VectorLoops.channelsLastEpilogue(epilogue, ot, outPlane, channels, b);
        }
        for (int ch = 0; ch < channels; ch++) {
            int yo = yOff + ch * outPlane;
            for (int q = 0; q < outPlane; q++) {
                y[yo + q] = ot[q * channels + ch];
            }
            if (!early) {
                epilogue.apply(y, yo, outPlane, b != null, b != null ? b[ch] : 0f, residual, yo);
            }
        }
    }
}
