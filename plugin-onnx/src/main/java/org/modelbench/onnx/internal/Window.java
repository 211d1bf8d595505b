package org.modelbench.onnx.internal;

/**
 * The geometry of a 2-D sliding window (convolution or pooling) over an NCHW input, as ONNX
 * defines it. Output size per axis: {@code floor((in + padBegin + padEnd - dilation*(kernel-1) - 1)
 * / stride) + 1} ({@code ceil} with {@code ceil_mode}, dropping a last window that would start in the
 * end padding); {@code auto_pad} SAME_UPPER/SAME_LOWER give {@code ceil(in / stride)} with the extra
 * padding at the end/beginning.
 */
record Window(int inH, int inW, int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft,
              int padBottom, int padRight, int outH, int outW) {

    /**
     * Reads {@code kernel_shape} (or {@code kernelFromWeights}), {@code strides}, {@code dilations},
     * {@code pads}, {@code auto_pad} and {@code ceil_mode} of a node for an input of {@code dims}
     * (rank 3 for 1-D, rank 4 for 2-D).
     */
    static Window of(OnnxNode node, int[] dims, int[] kernelFromWeights) {
        int spatial = dims.length - 2;
        if (spatial != 1 && spatial != 2) {
            throw node.unsupported("supports 1-D and 2-D windows (inputs of rank 3 or 4), got rank " + dims.length);
        }
        long[] k = node.ints("kernel_shape", null);
        if (k == null) {
            if (kernelFromWeights == null) {
                throw node.error("missing attribute kernel_shape");
            }
            k = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                k[i] = kernelFromWeights[i];
            }
        }
        long[] s = node.ints("strides", ones(spatial));
        long[] d = node.ints("dilations", ones(spatial));
        long[] p = node.ints("pads", new long[2 * spatial]);
        if (k.length != spatial || s.length != spatial || d.length != spatial || p.length != 2 * spatial) {
            throw node.error("kernel_shape, strides, dilations and pads must match " + spatial + " spatial axes");
        }
        boolean ceil = node.i("ceil_mode", 0) != 0;
        String autoPad = node.s("auto_pad", "NOTSET");
        int inH = spatial == 2 ? dims[2] : 1;
        int inW = dims[dims.length - 1];
        int[] kk = spatial == 2 ? new int[] {(int) k[0], (int) k[1]} : new int[] {1, (int) k[0]};
        int[] ss = spatial == 2 ? new int[] {(int) s[0], (int) s[1]} : new int[] {1, (int) s[0]};
        int[] dd = spatial == 2 ? new int[] {(int) d[0], (int) d[1]} : new int[] {1, (int) d[0]};
        int[] begin = spatial == 2 ? new int[] {(int) p[0], (int) p[1]} : new int[] {0, (int) p[0]};
        int[] end = spatial == 2 ? new int[] {(int) p[2], (int) p[3]} : new int[] {0, (int) p[1]};
        int[] in = {inH, inW};
        int[] out = new int[2];
        for (int a = 0; a < 2; a++) {
            int extent = dd[a] * (kk[a] - 1) + 1;
            switch (autoPad) {
                case "SAME_UPPER", "SAME_LOWER" -> {
                    out[a] = (in[a] + ss[a] - 1) / ss[a];
                    int total = Math.max((out[a] - 1) * ss[a] + extent - in[a], 0);
                    begin[a] = autoPad.equals("SAME_UPPER") ? total / 2 : (total + 1) / 2;
                    end[a] = total - begin[a];
                }
                case "VALID" -> {
                    begin[a] = 0;
                    end[a] = 0;
                    out[a] = (in[a] - extent) / ss[a] + 1;
                }
                case "NOTSET" -> {
                    int span = in[a] + begin[a] + end[a] - extent;
                    out[a] = (ceil ? Math.floorDiv(span + ss[a] - 1, ss[a]) : Math.floorDiv(span, ss[a])) + 1;
                    if (ceil && (out[a] - 1) * ss[a] >= in[a] + begin[a]) {
                        out[a]--;
                    }
                }
                default -> throw node.error("unknown auto_pad '" + autoPad + "'");
            }
            if (out[a] < 1 || kk[a] < 1 || ss[a] < 1 || dd[a] < 1) {
                throw node.error("window does not fit the input: input " + in[a] + ", kernel " + kk[a] + ", stride "
                        + ss[a] + ", dilation " + dd[a] + ", pads " + begin[a] + "+" + end[a]);
            }
        }
        return new Window(inH, inW, kk[0], kk[1], ss[0], ss[1], dd[0], dd[1], begin[0], begin[1], end[0], end[1],
                out[0], out[1]);
    }

    private static long[] ones(int n) {
        long[] out = new long[n];
        java.util.Arrays.fill(out, 1);
        return out;
    }

    /** The output dims for an input of {@code dims} with {@code channels} output channels. */
    int[] outputDims(int[] dims, int channels) {
        return dims.length == 4 ? new int[] {dims[0], channels, outH, outW} : new int[] {dims[0], channels, outW};
    }

    /**
     * Unfolds one channel block of one sample into columns: {@code col[(c*kh + ky)*kw + kx][oy*outW + ox]}.
     *
     * @param x        the input array
     * @param xOff     offset of channel 0 of the block
     * @param channels channels in the block
     */
    void im2col(float[] x, int xOff, int channels, float[] col) {
        im2col(x, xOff, channels, col, 0, outH * outW);
    }

    /**
     * {@link #im2col(float[], int, int, float[])} into a block of wider columns: row {@code r} starts at
     * {@code col[colOff + r * stride]} (several samples side by side, one SGEMM for all of them).
     */
    void im2col(float[] x, int xOff, int channels, float[] col, int colOff, int stride) {
        int plane = inH * inW;
        if (shiftsWholeRows()) {
            shiftedRows(x, xOff, channels, col, colOff, stride, true);
            return;
        }
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int base = xOff + c * plane;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, row++) {
                    int r = colOff + row * stride;
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * sh - padTop + ky * dh;
                        int o = r + oy * outW;
                        if (iy < 0 || iy >= inH) {
                            java.util.Arrays.fill(col, o, o + outW, 0f);
                            continue;
                        }
                        int rowBase = base + iy * inW;
                        // outputs ox0 .. ox1 read inside the row; the others meet padding
                        int shift = kx * dw - padLeft;
                        int ox0 = shift >= 0 ? 0 : Math.min(outW, (-shift + sw - 1) / sw);
                        int ox1 = inW - 1 - shift < 0 ? -1 : Math.min(outW - 1, (inW - 1 - shift) / sw);
                        if (ox0 > ox1) {
                            java.util.Arrays.fill(col, o, o + outW, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, o, o + ox0, 0f);
                        if (sw == 1) {
                            System.arraycopy(x, rowBase + ox0 + shift, col, o + ox0, ox1 - ox0 + 1);
                        } else {
                            for (int ox = ox0; ox <= ox1; ox++) {
                                col[o + ox] = x[rowBase + ox * sw + shift];
                            }
                        }
                        java.util.Arrays.fill(col, o + ox1 + 1, o + outW, 0f);
                    }
                }
            }
        }
    }

    /**
     * Whether every tap's columns are the input plane shifted by one offset: stride 1 on both axes
     * and as many output columns as input columns (VGG's 3x3 pad-1 convolutions). Then a tap's row
     * is one contiguous copy of the plane, with the outputs whose tap meets the left or right
     * padding (the copy wrapped into the next or previous input row) set to zero afterwards.
     */
    private boolean shiftsWholeRows() {
        return sh == 1 && sw == 1 && outW == inW;
    }

    /** The adjoint of {@link #im2col}: adds the columns back into the input gradient. */
    void col2im(float[] col, int channels, float[] dx, int dxOff) {
        col2im(col, 0, outH * outW, channels, dx, dxOff);
    }

    /**
     * {@link #col2im(float[], int, float[], int)} from a block of wider columns (see the wide {@code im2col}).
     * Each input element receives the columns that read it in row order (channel, ky, kx). When
     * {@link #shiftsWholeRows()}, the columns whose tap meets the left or right padding are set to
     * zero first and each row is added in one contiguous pass (adding +0 to a sum that started at
     * +0 changes no bit), so {@code col} is overwritten there.
     */
    void col2im(float[] col, int colOff, int stride, int channels, float[] dx, int dxOff) {
        int plane = inH * inW;
        if (shiftsWholeRows()) {
            shiftedRows(dx, dxOff, channels, col, colOff, stride, false);
            return;
        }
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int base = dxOff + c * plane;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, row++) {
                    int r = colOff + row * stride;
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * sh - padTop + ky * dh;
                        if (iy < 0 || iy >= inH) {
                            continue;
                        }
                        int o = r + oy * outW;
                        int rowBase = base + iy * inW;
                        for (int ox = 0; ox < outW; ox++) {
                            int ix = ox * sw - padLeft + kx * dw;
                            if (ix >= 0 && ix < inW) {
                                dx[rowBase + ix] += col[o + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * im2col ({@code unfold}: {@code x} into {@code col}) or col2im ({@code x} is the gradient added
     * into) when {@link #shiftsWholeRows()}: tap by tap, the output span {@code [from, to)} whose rows
     * read inside the input, input index = output index + {@code offset}.
     */
    private void shiftedRows(float[] x, int xOff, int channels, float[] col, int colOff, int stride, boolean unfold) {
        int plane = inH * inW;
        int outPlane = outH * outW;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int base = xOff + c * plane;
            for (int ky = 0; ky < kh; ky++) {
                int oy0 = Math.max(0, padTop - ky * dh);
                int oy1 = Math.min(outH - 1, inH - 1 + padTop - ky * dh);
                for (int kx = 0; kx < kw; kx++, row++) {
                    int r = colOff + row * stride;
                    int shift = kx * dw - padLeft;
                    int ox0 = Math.max(0, -shift);
                    int ox1 = Math.min(outW - 1, inW - 1 - shift);
                    if (oy0 > oy1 || ox0 > ox1) {
                        if (unfold) {
                            java.util.Arrays.fill(col, r, r + outPlane, 0f);
                        }
                        continue;
                    }
                    int from = oy0 * outW + ox0;
                    int to = oy1 * outW + ox1 + 1;
                    int at = base + (ky * dh - padTop) * inW + shift;
                    if (unfold) {
                        java.util.Arrays.fill(col, r, r + from, 0f);
                        System.arraycopy(x, at + from, col, r + from, to - from);
                        java.util.Arrays.fill(col, r + to, r + outPlane, 0f);
                    }
                    // inside the span, the outputs whose tap meets the left or right padding: zero (the right
                    // padding of row oy and the left padding of row oy + 1 are one run, none for a centre tap)
                    int gap = outW - 1 - ox1 + ox0;
                    if (gap > 0) {
                        for (int oy = oy0; oy < oy1; oy++) {
                            int o = r + oy * outW + ox1 + 1;
                            java.util.Arrays.fill(col, o, o + gap, 0f);
                        }
                    }
                    if (!unfold) {
                        for (int j = from; j < to; j++) {
                            x[at + j] += col[r + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether the output plane is the input plane's shape and each tap reads it at one fixed offset
     * (stride 1, "same" padding on both axes): then {@link #im2colBlock} and {@link #col2imBlock}
     * handle several samples in one pass per unfolded row.
     */
    boolean samePlane() {
        return sh == 1 && sw == 1 && outW == inW && outH == inH;
    }

    /**
     * im2col of {@code samples} samples at once when {@link #samePlane()}: the input in channel-major
     * order, {@code xt[xtOff + (c * samples + s) * plane + i]} for {@code channels} channels, into
     * {@code col[colOff + row * samples * plane + s * plane + j]} (the side-by-side layout of the wide
     * {@link #im2col(float[], int, int, float[], int, int)}, with the same values). A row is one
     * contiguous copy of the channel's planes at the tap's offset, then its taps over padding set to
     * zero (those copied from a neighbouring row or sample).
     */
    void im2colBlock(float[] xt, int xtOff, int channels, int samples, float[] col, int colOff) {
        blockRows(xt, xtOff, channels, samples, col, colOff, true);
    }

    /**
     * The adjoint of {@link #im2colBlock}: adds the columns into the channel-major gradient
     * {@code dxt}, each element receiving the columns that read it in row order (channel, ky, kx), as
     * {@link #col2im(float[], int, int, int, float[], int)} does per sample. The columns' taps over
     * padding are set to zero first (so {@code col} is overwritten there); each row is then added in
     * one contiguous pass (those zeros land on neighbouring elements: +0 changes no sum that started at +0).
     */
    void col2imBlock(float[] col, int colOff, int channels, int samples, float[] dxt, int dxtOff) {
        blockRows(dxt, dxtOff, channels, samples, col, colOff, false);
    }

    private void blockRows(float[] xt, int xtOff, int channels, int samples, float[] col, int colOff, boolean unfold) {
        int plane = inH * inW;
        int span = samples * plane;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int base = xtOff + c * span;
            for (int ky = 0; ky < kh; ky++) {
                int oy0 = Math.max(0, padTop - ky * dh);
                int oy1 = Math.min(outH - 1, inH - 1 + padTop - ky * dh);
                for (int kx = 0; kx < kw; kx++, row++) {
                    int r = colOff + row * span;
                    int shift = kx * dw - padLeft;
                    int ox0 = Math.max(0, -shift);
                    int ox1 = Math.min(outW - 1, inW - 1 - shift);
                    int offset = (ky * dh - padTop) * inW + shift;
                    int lo = Math.max(0, -offset);
                    int hi = Math.min(span, span - offset);
                    if (unfold) {
                        java.util.Arrays.fill(col, r, r + Math.min(lo, span), 0f);
                        if (hi > lo) {
                            System.arraycopy(xt, base + lo + offset, col, r + lo, hi - lo);
                        }
                        java.util.Arrays.fill(col, r + Math.min(Math.max(hi, lo), span), r + span, 0f);
                    }
                    for (int s = 0; s < samples; s++) {
                        int o = r + s * plane;
                        if (oy0 > oy1 || ox0 > ox1) {
                            java.util.Arrays.fill(col, o, o + plane, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, o, o + oy0 * outW, 0f);
                        for (int oy = oy0; oy <= oy1; oy++) {
                            java.util.Arrays.fill(col, o + oy * outW, o + oy * outW + ox0, 0f);
                            java.util.Arrays.fill(col, o + oy * outW + ox1 + 1, o + (oy + 1) * outW, 0f);
                        }
                        java.util.Arrays.fill(col, o + (oy1 + 1) * outW, o + plane, 0f);
                    }
                    if (!unfold) {
                        int d = base + offset;
                        for (int j = lo; j < hi; j++) {
                            xt[d + j] += col[r + j];
                        }
                    }
                }
            }
        }
    }
}
