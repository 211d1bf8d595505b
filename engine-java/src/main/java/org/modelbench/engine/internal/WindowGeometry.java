package org.modelbench.engine.internal;

import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.engine.config.IntPair;
import org.modelbench.engine.config.Padding;

/**
 * Where a sliding window (convolution kernel or pooling window) falls on a CHW input: padding
 * resolved to cells and the output size {@code floor((in + padBefore + padAfter - d * (k - 1) - 1) / s) + 1}.
 * A {@code [C, L]} sequence is the CHW input {@code [C, 1, L]} ({@link #ofSequence}), so 1-d layers
 * run on the same kernels.
 */
public record WindowGeometry(int channels, int inH, int inW, int kh, int kw, int sh, int sw, int dh, int dw,
                             int padTop, int padLeft, int outH, int outW) {

    /**
     * Resolves the geometry for {@code input} (CHW).
     *
     * @param what {@code kernel} or {@code pool window}, for messages
     * @throws InvalidInputException when the input is not CHW or the window does not fit
     */
    public static WindowGeometry of(Shape input, String what, IntPair k, IntPair s, IntPair d, Padding padding) {
        if (input.rank() != 3) {
            throw new InvalidInputException("expected a channels x height x width input, got " + input);
        }
        int c = input.dim(0);
        int h = input.dim(1);
        int w = input.dim(2);
        int ekh = d.h() * (k.h() - 1) + 1;
        int ekw = d.w() * (k.w() - 1) + 1;
        int pt;
        int pb;
        int pl;
        int pr;
        int oh;
        int ow;
        if (padding.mode() == Padding.Mode.SAME) {
            oh = (h + s.h() - 1) / s.h();
            ow = (w + s.w() - 1) / s.w();
            int ph = Math.max(0, (oh - 1) * s.h() + ekh - h);
            int pw = Math.max(0, (ow - 1) * s.w() + ekw - w);
            pt = ph / 2;
            pb = ph - pt;
            pl = pw / 2;
            pr = pw - pl;
        } else {
            pt = padding.top();
            pb = padding.bottom();
            pl = padding.left();
            pr = padding.right();
            if (ekh > h + pt + pb || ekw > w + pl + pr) {
                String size = (d.h() > 1 || d.w() > 1) ? k + " (dilated to " + ekh + "x" + ekw + ")" : k.toString();
                String in = h + "x" + w + (pt + pb + pl + pr > 0 ? " (padded to " + (h + pt + pb) + "x" + (w + pl + pr) + ")" : "");
                throw new InvalidInputException(what + " " + size + " is larger than its " + in + " input");
            }
            oh = (h + pt + pb - ekh) / s.h() + 1;
            ow = (w + pl + pr - ekw) / s.w() + 1;
        }
        return new WindowGeometry(c, h, w, k.h(), k.w(), s.h(), s.w(), d.h(), d.w(), pt, pl, oh, ow);
    }

    /**
     * Resolves the geometry of a 1-d window for {@code input} ({@code [C, L]}), as a {@code 1 x k}
     * window on {@code [C, 1, L]}: padding {@link Padding#left()} and {@link Padding#right()} only.
     *
     * @param what {@code kernel} or {@code pool window}, for messages
     * @throws InvalidInputException when the input is not {@code [C, L]} or the window does not fit
     */
    public static WindowGeometry ofSequence(Shape input, String what, int k, int s, int d, Padding padding) {
        if (input.rank() != 2) {
            throw new InvalidInputException("expected a channels x length input, got " + input
                    + (input.rank() == 1 ? " (one value per feature: a 1-d layer needs [channels, length])" : ""));
        }
        int length = input.dim(1);
        int span = d * (k - 1) + 1;
        if (padding.mode() != Padding.Mode.SAME && span > length + padding.left() + padding.right()) {
            int padded = length + padding.left() + padding.right();
            throw new InvalidInputException(what + " " + k + (d > 1 ? " (dilated to " + span + ")" : "")
                    + " is longer than its input of length " + length + (padded != length ? " (padded to " + padded + ")" : ""));
        }
        return of(Shape.of(input.dim(0), 1, length), what, new IntPair(1, k), new IntPair(1, s), new IntPair(1, d),
                padding.mode() == Padding.Mode.EXPLICIT ? Padding.explicit(0, 0, padding.left(), padding.right()) : padding);
    }

    /** Output cells per channel. */
    public int outSize() {
        return outH * outW;
    }

    /** Input cells per channel. */
    public int inSize() {
        return inH * inW;
    }

    /**
     * Unfolds channels {@code [c0, c0 + cs)} of one sample into columns: row {@code (c * kh + i) * kw + j}
     * (c relative to c0), column {@code oy * outW + ox}; padded cells are 0.
     */
    public void im2col(float[] x, int xOff, int c0, int cs, float[] col, int colOff) {
        im2col(x, xOff, c0, cs, 0, outH, col, colOff);
    }

    /**
     * {@link #im2col} of the output rows {@code [oy0, oy1)} only: column {@code (oy - oy0) * outW + ox},
     * rows of {@code (oy1 - oy0) * outW} columns (a band of the full unfolding, small enough to stay in
     * a core's cache).
     */
    public void im2col(float[] x, int xOff, int c0, int cs, int oy0, int oy1, float[] col, int colOff) {
        int hw = (oy1 - oy0) * outW;
        for (int c = 0; c < cs; c++) {
            int plane = xOff + (c0 + c) * inH * inW;
            for (int i = 0; i < kh; i++) {
                int oa = Math.max(oy0, firstRow(i));
                int ob = Math.min(oy1, endRow(i));
                for (int j = 0; j < kw; j++) {
                    int row = colOff + ((c * kh + i) * kw + j) * hw - oy0 * outW;
                    int ix0 = j * dw - padLeft;
                    if (sw == 1 && ix0 >= 0 && ix0 + outW <= inW) {
                        // the rows inside the input in one block; the others are padding
                        int lo = Math.min(oa, oy1);
                        java.util.Arrays.fill(col, row + oy0 * outW, row + lo * outW, 0f);
                        if (ob > oa) {
                            Elementwise.copyRows(x, plane + (oa * sh - padTop + i * dh) * inW + ix0, sh * inW, col,
                                    row + oa * outW, outW, ob - oa, outW);
                        }
                        java.util.Arrays.fill(col, row + Math.max(lo, ob) * outW, row + oy1 * outW, 0f);
                        continue;
                    }
                    for (int oy = oy0; oy < oy1; oy++) {
                        int iy = oy * sh - padTop + i * dh;
                        int dst = row + oy * outW;
                        if (iy < 0 || iy >= inH) {
                            java.util.Arrays.fill(col, dst, dst + outW, 0f);
                            continue;
                        }
                        int src = plane + iy * inW;
                        for (int ox = 0; ox < outW; ox++) {
                            int ix = ox * sw + ix0;
                            col[dst + ox] = ix >= 0 && ix < inW ? x[src + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** The first output row whose kernel row {@code i} falls inside the input. */
    private int firstRow(int i) {
        int oy = 0;
        while (oy < outH && oy * sh - padTop + i * dh < 0) {
            oy++;
        }
        return oy;
    }

    /** One past the last output row whose kernel row {@code i} falls inside the input. */
    private int endRow(int i) {
        int oy = outH;
        while (oy > 0 && (oy - 1) * sh - padTop + i * dh >= inH) {
            oy--;
        }
        return oy;
    }

    /** The adjoint of {@link #im2col}: adds columns back into channels {@code [c0, c0 + cs)} of {@code dx}. */
    public void col2im(float[] col, int colOff, int c0, int cs, float[] dx, int dxOff) {
        col2im(col, colOff, c0, cs, 0, outH, dx, dxOff);
    }

    /** The adjoint of the band {@link #im2col(float[], int, int, int, int, int, float[], int)}: output rows {@code [oy0, oy1)}. */
    public void col2im(float[] col, int colOff, int c0, int cs, int oy0, int oy1, float[] dx, int dxOff) {
        int hw = (oy1 - oy0) * outW;
        for (int c = 0; c < cs; c++) {
            int plane = dxOff + (c0 + c) * inH * inW;
            for (int i = 0; i < kh; i++) {
                int oa = Math.max(oy0, firstRow(i));
                int ob = Math.min(oy1, endRow(i));
                for (int j = 0; j < kw; j++) {
                    int row = colOff + ((c * kh + i) * kw + j) * hw - oy0 * outW;
                    int ix0 = j * dw - padLeft;
                    if (sw == 1 && ix0 >= 0 && ix0 + outW <= inW) {
                        if (ob > oa) {
                            Elementwise.addRows(col, row + oa * outW, outW, dx,
                                    plane + (oa * sh - padTop + i * dh) * inW + ix0, sh * inW, ob - oa, outW);
                        }
                        continue;
                    }
                    for (int oy = oa; oy < ob; oy++) {
                        int src = row + oy * outW;
                        int dst = plane + (oy * sh - padTop + i * dh) * inW;
                        for (int ox = 0; ox < outW; ox++) {
                            int ix = ox * sw + ix0;
                            if (ix >= 0 && ix < inW) {
                                dx[dst + ix] += col[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
