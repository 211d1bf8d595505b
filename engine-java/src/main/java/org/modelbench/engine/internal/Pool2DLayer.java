package org.modelbench.engine.internal;

import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * Max or average pooling per channel: input {@code [N, C, H, W]}, output {@code [N, C, outH, outW]}.
 * Windows may overlap (stride smaller than the window); average pooling divides by the number of
 * real (unpadded) cells in each window. Planes run in parallel.
 */
public final class Pool2DLayer extends BaseLayer {
    private final WindowGeometry g;
    private final boolean max;
    private int[] argmax;
    private int lastBatch = -1;

    Pool2DLayer(boolean max, WindowGeometry geometry, Shape inputShape) {
        super(max ? "maxpool2d" : "avgpool2d", inputShape, Shape.of(geometry.channels(), geometry.outH(),
                geometry.outW()), List.of());
        this.g = geometry;
        this.max = max;
    }

    @Override
    public Tensor forward(Tensor x, LayerContext context) {
        int n = checkInput(x);
        int planes = n * g.channels();
        int in = g.inSize();
        int out = g.outSize();
        float[] xs = x.data();
        float[] y = new float[planes * out];
        int[] arg = max && context.keepsForBackward() ? new int[planes * out] : null;
        Parallel.forEach((planes + 63) / 64, context.threads(), t -> {
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
        float[] dx = new float[planes * in];
        Parallel.forEach((planes + 63) / 64, context.threads(), t -> {
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
