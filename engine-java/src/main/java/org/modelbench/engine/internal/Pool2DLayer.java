package org.modelbench.engine.internal;

import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.kernels.Parallel;

/**
 * Max or average pooling per channel: input {@code [N, C, H, W]}, output {@code [N, C, outH, outW]};
 * as {@code maxpool1d}/{@code avgpool1d} ({@link #pool1d}) input {@code [N, C, L]}, output
 * {@code [N, C, outL]}, a {@code 1 x k} window on {@code [N, C, 1, L]}.
 * Windows may overlap (stride smaller than the window); average pooling divides by the number of
 * real (unpadded) cells in each window. Planes run in parallel.
 */
public final class Pool2DLayer extends BaseLayer {
    private final WindowGeometry g;
    private final boolean max;
    private int[] argmax;
    private int lastBatch = -1;
    /** The output and input-gradient arrays of the last training step, reused by the next ({@link #reuse}). */
    private float[] trainingOutput;
    private float[] trainingInputGradient;

    Pool2DLayer(boolean max, WindowGeometry geometry, Shape inputShape) {
        this(max ? "maxpool2d" : "avgpool2d", max, geometry, inputShape, Shape.of(geometry.channels(), geometry.outH(),
                geometry.outW()));
    }

    private Pool2DLayer(String type, boolean max, WindowGeometry geometry, Shape inputShape, Shape outputShape) {
        super(type, inputShape, outputShape, List.of());
        this.g = geometry;
        this.max = max;
    }

    /** 1-d pooling on {@code [C, L]} inputs; {@code geometry} from {@link WindowGeometry#ofSequence}. */
    static Pool2DLayer pool1d(boolean max, WindowGeometry geometry, Shape inputShape) {
        return new Pool2DLayer(max ? "maxpool1d" : "avgpool1d", max, geometry, inputShape,
                Shape.of(geometry.channels(), geometry.outW()));
    }

    /** Whether this is non-overlapping, unpadded 2x2 max pooling with stride 2 (floor at odd sizes). */
    boolean isMaxTwoByTwo() {
        return max && inputShape().rank() == 3 && g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.padTop() == 0
                && g.padLeft() == 0 && 2 * g.outH() <= g.inH() && 2 * g.outW() <= g.inW();
    }

    @Override
    public Tensor forward(Tensor x, LayerContext context) {
        int n = checkInput(x);
        int planes = n * g.channels();
        int in = g.inSize();
        int out = g.outSize();
        float[] xs = x.data();
        float[] y = context.training() ? trainingOutput = reuse(trainingOutput, planes * out) : new float[planes * out];
        // every element is written: the last pass's arg-max array serves again when the size matches
        int[] arg = !max || !context.keepsForBackward() ? null
                : argmax != null && argmax.length == planes * out ? argmax : new int[planes * out];
        boolean twoByTwo = isMaxTwoByTwo();
        Parallel.forEach((planes + 63) / 64, context.threads(), t -> {
            if (twoByTwo) {
                maxTwoByTwo(xs, y, arg, t * 64, Math.min(planes, (t + 1) * 64));
                return;
            }
            for (int p = t * 64; p < Math.min(planes, (t + 1) * 64); p++) {
                int xo = p * in;
                int yo = p * out;
                for (int oy = 0; oy < g.outH(); oy++) {
                    int y0 = oy * g.sh() - g.padTop();
                    int ya = Math.max(0, y0);
                    int yb = Math.min(g.inH(), y0 + g.kh());
                    for (int ox = 0; ox < g.outW(); ox++) {
                        int x0 = ox * g.sw() - g.padLeft();
                        int xa = Math.max(0, x0);
                        int xb = Math.min(g.inW(), x0 + g.kw());
                        int o = yo + oy * g.outW() + ox;
                        if (max) {
                            float best = Float.NEGATIVE_INFINITY;
                            int bestAt = -1;
                            for (int iy = ya; iy < yb; iy++) {
                                for (int ix = xa; ix < xb; ix++) {
                                    float v = xs[xo + iy * g.inW() + ix];
                                    if (v > best || bestAt < 0) {
                                        best = v;
                                        bestAt = xo + iy * g.inW() + ix;
                                    }
                                }
                            }
                            y[o] = bestAt < 0 ? 0f : best;
                            if (arg != null) {
                                arg[o] = bestAt;
                            }
                        } else {
                            float sum = 0;
                            for (int iy = ya; iy < yb; iy++) {
                                for (int ix = xa; ix < xb; ix++) {
                                    sum += xs[xo + iy * g.inW() + ix];
                                }
                            }
                            int count = Math.max(1, (yb - ya) * (xb - xa));
                            y[o] = (yb > ya && xb > xa) ? sum / count : 0f;
                        }
                    }
                }
            }
        });
        argmax = arg;
        lastBatch = context.keepsForBackward() ? n : -1;
        return Tensor.of(outputBatch(n), y);
    }

    /**
     * Non-overlapping 2x2 max pooling of planes {@code [p0, p1)}: the general loop's results (the
     * first maximum in row-major window order wins) for finite values other than a tie of -0 with
     * +0 (+0 wins) and NaN (wins), without its per-cell bounds, bookkeeping and branches.
     */
    private void maxTwoByTwo(float[] xs, float[] y, int[] arg, int p0, int p1) {
        int inW = g.inW();
        int outH = g.outH();
        int outW = g.outW();
        int in = g.inSize();
        int out = g.outSize();
        for (int p = p0; p < p1; p++) {
            for (int oy = 0; oy < outH; oy++) {
                int r0 = p * in + 2 * oy * inW;
                int r1 = r0 + inW;
                int o = p * out + oy * outW;
                for (int ox = 0; ox < outW; ox++) {
                    int i = r0 + 2 * ox;
                    int j = r1 + 2 * ox;
                    if (arg == null) {
                        // inference: the value only (Math.max is branch-free)
                        y[o + ox] = Math.max(Math.max(xs[i], xs[i + 1]), Math.max(xs[j], xs[j + 1]));
                        continue;
                    }
                    // a branch-free tournament on order-preserving integer keys (branches on
                    // random data mispredict): the first maximum of each row pair, then the
                    // lower pair only when strictly larger
                    int ka = key(xs[i]);
                    int kb = key(xs[i + 1]);
                    int kc = key(xs[j]);
                    int kd = key(xs[j + 1]);
                    int ab = (int) (((long) ka - kb) >>> 63);
                    int topAt = i + ab;
                    int top = ka + ab * (kb - ka);
                    int cd = (int) (((long) kc - kd) >>> 63);
                    int bottomAt = j + cd;
                    int bottom = kc + cd * (kd - kc);
                    int lower = (int) (((long) top - bottom) >>> 63);
                    int at = topAt + lower * (bottomAt - topAt);
                    y[o + ox] = xs[at];
                    arg[o + ox] = at;
                }
            }
        }
    }

    /**
     * The backward of {@link #maxTwoByTwo} when the windows tile the input: each window's four cells
     * written once (the gradient at the arg-max, {@code 0 + dy} as the general loop adds it, zeros
     * elsewhere), without clearing the input gradient first.
     */
    private void maxTwoByTwoBackward(float[] dy, float[] dx, int p0, int p1) {
        int inW = g.inW();
        int outW = g.outW();
        for (int p = p0; p < p1; p++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int r0 = p * g.inSize() + 2 * oy * inW;
                int o = p * g.outSize() + oy * outW;
                for (int ox = 0; ox < outW; ox++) {
                    int i = r0 + 2 * ox;
                    int j = i + inW;
                    dx[i] = 0f;
                    dx[i + 1] = 0f;
                    dx[j] = 0f;
                    dx[j + 1] = 0f;
                    dx[argmax[o + ox]] = 0f + dy[o + ox];
                }
            }
        }
    }

    /** A signed integer with the order of the floats (-0 below +0): the bits, negatives' magnitude bits flipped. */
    private static int key(float v) {
        int bits = Float.floatToRawIntBits(v);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    @Override
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        if (lastBatch < 0) {
            throw new IllegalStateException(type() + ": backward without a training forward pass");
        }
        int n = lastBatch;
        int planes = n * g.channels();
        int in = g.inSize();
        int out = g.outSize();
        float[] dy = outputGradient.data();
        float[] dx = context.training() ? trainingInputGradient = reuse(trainingInputGradient, planes * in)
                : new float[planes * in];
        boolean tiled = isMaxTwoByTwo() && 2 * g.outH() == g.inH() && 2 * g.outW() == g.inW();
        Parallel.forEach((planes + 63) / 64, context.threads(), t -> {
            if (tiled) {
                maxTwoByTwoBackward(dy, dx, t * 64, Math.min(planes, (t + 1) * 64));
                return;
            }
            java.util.Arrays.fill(dx, t * 64 * in, Math.min(planes, (t + 1) * 64) * in, 0f);
            for (int p = t * 64; p < Math.min(planes, (t + 1) * 64); p++) {
                int xo = p * in;
                int yo = p * out;
                for (int oy = 0; oy < g.outH(); oy++) {
                    int y0 = oy * g.sh() - g.padTop();
                    int ya = Math.max(0, y0);
                    int yb = Math.min(g.inH(), y0 + g.kh());
                    for (int ox = 0; ox < g.outW(); ox++) {
                        int o = yo + oy * g.outW() + ox;
                        if (max) {
                            if (argmax[o] >= 0) {
                                dx[argmax[o]] += dy[o];
                            }
                            continue;
                        }
                        int x0 = ox * g.sw() - g.padLeft();
                        int xa = Math.max(0, x0);
                        int xb = Math.min(g.inW(), x0 + g.kw());
                        if (yb <= ya || xb <= xa) {
                            continue;
                        }
                        float share = dy[o] / ((yb - ya) * (xb - xa));
                        for (int iy = ya; iy < yb; iy++) {
                            for (int ix = xa; ix < xb; ix++) {
                                dx[xo + iy * g.inW() + ix] += share;
                            }
                        }
                    }
                }
            }
        });
        return Tensor.of(inputShape().withBatch(n), dx);
    }
}
