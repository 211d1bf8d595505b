package org.modelbench.onnx.internal;

/** Conv, MaxPool, AveragePool and the global pools, on NCHW (or NCW) inputs. */
final class WindowKernels {
    private WindowKernels() {
    }

    /**
     * The sizes of one convolution call: {@code n} images of {@code c} channels, {@code m} filters,
     * {@code cg}/{@code mg} channels/filters per group, {@code k} rows of the unfolded input.
     */
    record ConvPlan(Window g, int n, int c, int m, int cg, int mg, int k, int outPlane, int inPlane) {
        static ConvPlan of(Window g, Value x, Value w, int group) {
            int c = x.dim(1);
            int cg = c / group;
            return new ConvPlan(g, x.dim(0), c, w.dim(0), cg, w.dim(0) / group, cg * g.kh() * g.kw(),
                    g.outH() * g.outW(), g.inH() * g.inW());
        }
    }

    /** Conv: X [N, C, H, W], W [M, C/group, kh, kw], optional B [M]; grouped and depthwise included. */
    static Kernel conv(OnnxNode node) {
        requirePlanar(node);
        int group = (int) node.i("group", 1);
        return new ReluFolding() {
            /** The unfolded input of the last training forward pass, for its backward (null: none kept). */
            private volatile KeptColumns kept;
            /** The transformed kernel and input of the last Winograd training forward pass, for its backward. */
            private volatile KeptWinograd keptWinograd;
            /** The Winograd transform of the weights, kept across inference calls while they are unchanged. */
            private final WinogradConv.Filters winogradFilters = new WinogradConv.Filters();

            private Window window(Value x, Value w) {
                if (x.rank() != w.rank()) {
                    throw node.error("input rank " + x.rank() + " and weight rank " + w.rank() + " differ");
                }
                int[] wd = w.dims();
                int[] kernel = java.util.Arrays.copyOfRange(wd, 2, wd.length);
                if (x.dim(1) != wd[1] * group || wd[0] % group != 0) {
                    throw node.error("input has " + x.dim(1) + " channels but the weight " + java.util.Arrays.toString(wd)
                            + " with group " + group + " expects " + wd[1] * group);
                }
                return Window.of(node, x.dims(), kernel);
            }

            @Override
            public Value[] forward(Value[] in, Context ctx) {
                return forward(in, null, Epilogue.NONE, ctx);
            }

            @Override
            public int[] outputDims(Value[] in) {
                return window(in[0], in[1]).outputDims(in[0].dims(), in[1].dim(0));
            }

            @Override
            public Value[] forward(Value[] in, float[] residual, Epilogue epilogue, Context ctx) {
                Value xv = in[0];
                Value wv = in[1];
                Window g = window(xv, wv);
                float[] b = in.length > 2 && in[2] != null ? in[2].floatData() : null;
                if (ctx.training() && residual == null
                        && WinogradTraining.suits(g, group, xv.dim(1), wv.dim(0), xv.dim(0))) {
                    // training on Winograd F(2x2,3x3): the kernel transformed every step (it is trained in
                    // place), the transformed input kept for the backward
                    int n = xv.dim(0);
                    int c = xv.dim(1);
                    int m = wv.dim(0);
                    float[] w = wv.floatData();
                    KeptWinograd last = keptWinograd;
                    keptWinograd = null;
                    int size = WinogradTraining.transformedSize(g, n, c);
                    float[] v = last != null && last.v().length == size ? last.v() : new float[size];
                    float[] u = WinogradTraining.kernelTransform(w, m, c, last != null
                            && last.u().length == WinogradTraining.kernelSize(m, c) ? last.u()
                            : new float[WinogradTraining.kernelSize(m, c)], ctx.threads());
                    float[] y = WinogradTraining.forward(g, n, c, m, xv.floatData(), u, v, b, epilogue, ctx.threads());
                    keptWinograd = new KeptWinograd(xv.floatData(), xv.dims(), w, u, v);
                    return new Value[] {Value.floats(g.outputDims(xv.dims(), m), y)};
                }
                if (ctx.training() && residual == null && !(xv.dim(1) == group && group > 1)) {
                    // training (the node learns): the backward's sample blocks, on the fastest SGEMM; the
                    // unfolded input stays for the backward when the batch is one block
                    ConvPlan p = ConvPlan.of(g, xv, wv, group);
                    float[] columns = null;
                    if (ConvGradients.keepsColumns(p, group)) {
                        KeptColumns last = kept;
                        int size = ConvGradients.columnsSize(p);
                        columns = last != null && last.columns().length == size ? last.columns() : new float[size];
                        kept = null;
                    }
                    float[] y = ConvGradients.forward(p, group, xv.floatData(), wv.floatData(), b, epilogue, columns,
                            ctx.threads());
                    if (columns != null) {
                        kept = new KeptColumns(xv.floatData(), xv.dims(), columns);
                    }
                    return new Value[] {Value.floats(g.outputDims(xv.dims(), wv.dim(0)), y)};
                }
                float[] y = ConvForward.forward(g, group, xv.dims(), xv.floatData(), wv.dim(0), wv.floatData(), b,
                        residual, epilogue, winogradFilters, ctx.threads());
                return new Value[] {Value.floats(g.outputDims(xv.dims(), wv.dim(0)), y)};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                return gradients(in, gradOut, null, ctx);
            }

            @Override
            public Value[] backwardThroughRelu(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                return gradients(in, gradOut, out[0].floatData(), ctx);
            }

            /** The gradients; {@code mask}: the Relu's output when the Relu is folded in, else null. */
            private Value[] gradients(Value[] in, Value[] gradOut, float[] mask, Context ctx) {
                Value xv = in[0];
                Value wv = in[1];
                ConvPlan p = ConvPlan.of(window(xv, wv), xv, wv, group);
                Window g = p.g();
                int n = p.n();
                int c = p.c();
                int m = p.m();
                int cg = p.cg();
                int mg = p.mg();
                int k = p.k();
                int outPlane = p.outPlane();
                int inPlane = p.inPlane();
                float[] x = xv.floatData();
                float[] w = wv.floatData();
                float[] dy = gradOut[0].floatData();
                // only the gradients somebody uses (a convolution on the graph input needs no dX)
                float[] dx = ctx.gradientUsed(0) ? new float[x.length] : null;
                // the kernel's gradient straight into the parameter's (sink), else into a fresh array
                float[] sink = ctx.gradientSink(1, w.length);
                float[] dw = sink != null ? sink : ctx.gradientUsed(1) ? new float[w.length] : null;
                float[] db = in.length > 2 && in[2] != null && ctx.gradientUsed(2) ? new float[m] : null;
                if (cg == 1 && group > 1) {
                    // depthwise: groups are independent (each owns its kernels and its input planes)
                    float[] dyd = mask == null ? dy : ConvGradients.masked(dy, mask, ctx.threads());
                    if (mg == 1) {
                        ConvGradients.depthwiseBackward(g, n, c, x, w, dyd, dw, dx, ctx.threads());
                    } else {
                        Blas.parallelRows(group, ctx.threads(), (long) n * m * k * outPlane, gi ->
                                DirectConv.depthwiseBackward(g, n, x, gi * inPlane, c * inPlane, w, gi * mg * k, mg, dyd,
                                        gi * mg * outPlane, m * outPlane, dw, dx));
                    }
                    if (db != null) {
                        ConvGradients.biasGradient(dyd, 0, n, m * outPlane, m, outPlane, db, 0, ctx.threads());
                    }
                } else if (ctx.training() && WinogradTraining.suits(g, group, c, m, n)) {
                    // the adjoint of the Winograd forward; its transforms when they are of this input and kernel
                    KeptWinograd last = keptWinograd;
                    boolean same = last != null && last.x() == x && last.w() == w
                            && java.util.Arrays.equals(last.dims(), xv.dims());
                    float[] u = same ? last.u() : WinogradTraining.kernelTransform(w, m, c, ctx.threads());
                    WinogradTraining.backward(g, n, c, m, x, u, same ? last.v() : null, dy, mask, dw, sink != null, db,
                            dx, ctx.threads());
                } else {
                    KeptColumns last = kept;
                    float[] columns = last != null && last.x() == x && java.util.Arrays.equals(last.dims(), xv.dims())
                            ? last.columns() : null;
                    ConvGradients.backward(p, group, x, w, dy, mask, columns, dw, sink != null, db, dx,
                            Blas.product(ctx.training()), ctx.threads());
                }
                Value[] grads = new Value[in.length];
                grads[0] = dx == null ? null : Value.floats(xv.dims(), dx);
                grads[1] = dw == null || sink != null ? null : Value.floats(wv.dims(), dw);
                if (db != null) {
                    grads[2] = Value.floats(in[2].dims(), db);
                }
                return grads;
            }

            @Override
            public boolean learnableInput(int index) {
                return index == 1 || index == 2;
            }
        };
    }

    /**
     * The transforms a Winograd training forward pass kept for the backward of the same input {@code x} and kernel
     * {@code w} (whose contents a step changes only after its backward).
     */
    private record KeptWinograd(float[] x, int[] dims, float[] w, float[] u, float[] v) {
    }

    /** The unfolded input a training forward pass kept for the backward of the same input {@code x}. */
    private record KeptColumns(float[] x, int[] dims, float[] columns) {
    }

    /**
     * Samples unfolded side by side into one product: enough that the product has about 1024
     * columns (so packing the kernels is paid for), at most 4M floats of unfolded input, at least 1.
     */
    static int samplesPerProduct(int n, int k, int outPlane) {
        if (outPlane >= 1024) {
            return 1;
        }
        int want = (1024 + outPlane - 1) / outPlane;
        int fit = (int) Math.max(1, (4L << 20) / ((long) k * outPlane));
        return Math.max(1, Math.min(n, Math.min(want, fit)));
    }

    /** Refuses windows of more than two spatial axes as soon as the kernel_shape attribute says so. */
    private static void requirePlanar(OnnxNode node) {
        long[] k = node.ints("kernel_shape", null);
        if (k != null && k.length > 2) {
            throw node.unsupported("supports 1-D and 2-D windows, got kernel_shape of " + k.length + " axes");
        }
    }

    /** MaxPool ({@code max}) or AveragePool; MaxPool's optional Indices output is not supported. */
    static Kernel pool(OnnxNode node, boolean max) {
        requirePlanar(node);
        if (max && node.outputs().size() > 1 && !node.outputs().get(1).isEmpty()) {
            throw node.unsupported("the Indices output of MaxPool is not supported");
        }
        if (node.i("storage_order", 0) != 0) {
            throw node.unsupported("storage_order 1 is not supported");
        }
        boolean countPad = node.i("count_include_pad", 0) != 0;
        return new Kernel.Differentiable() {
            @Override
            public Value[] forward(Value[] in, Context ctx) {
                Value xv = in[0];
                Window g = Window.of(node, xv.dims(), null);
                int planes = xv.dim(0) * xv.dim(1);
                float[] x = xv.floatData();
                float[] y = BufferPool.floats(planes * g.outH() * g.outW());
                boolean halving = max && g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.dh() == 1
                        && g.dw() == 1 && g.padTop() == 0 && g.padLeft() == 0 && 2 * g.outH() <= g.inH()
                        && 2 * g.outW() <= g.inW();
                // other max pools: vector maxima over the padded plane's stride phases (same values)
                PlanePhases phases = max && !halving && PlanePhases.handles(g) ? PlanePhases.of(g) : null;
                Blas.parallelRows(planes, ctx.threads(), (long) planes * g.outH() * g.outW() * g.kh() * g.kw(), p -> {
                    int xo = p * g.inH() * g.inW();
                    int yo = p * g.outH() * g.outW();
                    if (phases != null) {
                        phases.maxPool(x, xo, y, yo);
                        return;
                    }
                    if (halving) {
                        // 2x2, stride 2, inside the input: Math.max is order-free, so this is the general loop's result
                        for (int oy = 0; oy < g.outH(); oy++) {
                            int r0 = xo + 2 * oy * g.inW();
                            int r1 = r0 + g.inW();
                            int o = yo + oy * g.outW();
                            for (int ox = 0; ox < g.outW(); ox++) {
                                y[o + ox] = Math.max(Math.max(x[r0 + 2 * ox], x[r0 + 2 * ox + 1]),
                                        Math.max(x[r1 + 2 * ox], x[r1 + 2 * ox + 1]));
                            }
                        }
                        return;
                    }
                    for (int oy = 0; oy < g.outH(); oy++) {
                        for (int ox = 0; ox < g.outW(); ox++) {
                            float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                            int count = 0;
                            for (int ky = 0; ky < g.kh(); ky++) {
                                int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                                for (int kx = 0; kx < g.kw(); kx++) {
                                    int ix = ox * g.sw() - g.padLeft() + kx * g.dw();
                                    if (iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) {
                                        if (countPad && iy < g.inH() + g.padBottom() && ix < g.inW() + g.padRight()) {
                                            count++;
                                        }
                                        continue;
                                    }
                                    float v = x[xo + iy * g.inW() + ix];
                                    if (max) {
                                        acc = Math.max(acc, v);
                                    } else {
                                        acc += v;
                                    }
                                    count++;
                                }
                            }
                            y[yo + oy * g.outW() + ox] = max ? acc : acc / Math.max(count, 1);
                        }
                    }
                });
                return new Value[] {Value.floats(g.outputDims(xv.dims(), xv.dim(1)), y, xv.elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                Value xv = in[0];
                Window g = Window.of(node, xv.dims(), null);
                int planes = xv.dim(0) * xv.dim(1);
                float[] x = xv.floatData();
                float[] dy = gradOut[0].floatData();
                float[] dx = new float[x.length];
                boolean halving = max && g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.dh() == 1
                        && g.dw() == 1 && g.padTop() == 0 && g.padLeft() == 0 && 2 * g.outH() <= g.inH()
                        && 2 * g.outW() <= g.inW();
                // planes in parallel: each writes only its own input plane's gradient
                Blas.parallelRows(planes, ctx.threads(), (long) planes * g.outH() * g.outW() * g.kh() * g.kw(), p -> {
                    int xo = p * g.inH() * g.inW();
                    int yo = p * g.outH() * g.outW();
                    if (halving) {
                        // 2x2, stride 2, inside the input: the general loop's choice (the first of the largest, in tap order)
                        for (int oy = 0; oy < g.outH(); oy++) {
                            int r0 = xo + 2 * oy * g.inW();
                            int r1 = r0 + g.inW();
                            for (int ox = 0; ox < g.outW(); ox++) {
                                int best = r0 + 2 * ox;
                                for (int t = 1; t < 4; t++) {
                                    int at = (t < 2 ? r0 : r1) + 2 * ox + (t & 1);
                                    if (x[at] > x[best]) {
                                        best = at;
                                    }
                                }
                                dx[best] += dy[yo + oy * g.outW() + ox];
                            }
                        }
                        return;
                    }
                    for (int oy = 0; oy < g.outH(); oy++) {
                        for (int ox = 0; ox < g.outW(); ox++) {
                            float grad = dy[yo + oy * g.outW() + ox];
                            int best = -1;
                            float bestValue = Float.NEGATIVE_INFINITY;
                            int count = 0;
                            for (int pass = 0; pass < 2; pass++) {
                                for (int ky = 0; ky < g.kh(); ky++) {
                                    int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                                    for (int kx = 0; kx < g.kw(); kx++) {
                                        int ix = ox * g.sw() - g.padLeft() + kx * g.dw();
                                        boolean inside = iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW();
                                        if (pass == 0) {
                                            if (inside) {
                                                count++;
                                                float v = x[xo + iy * g.inW() + ix];
                                                if (v > bestValue || best < 0) {
                                                    bestValue = v;
                                                    best = xo + iy * g.inW() + ix;
                                                }
                                            } else if (countPad && iy < g.inH() + g.padBottom()
                                                    && ix < g.inW() + g.padRight()) {
                                                count++;
                                            }
                                        } else if (!max && inside) {
                                            dx[xo + iy * g.inW() + ix] += grad / Math.max(count, 1);
                                        }
                                    }
                                }
                                if (max) {
                                    if (best >= 0) {
                                        dx[best] += grad;
                                    }
                                    break;
                                }
                            }
                        }
                    }
                });
                return new Value[] {Value.floats(xv.dims(), dx)};
            }
        };
    }

    /** GlobalAveragePool / GlobalMaxPool: [N, C, ...spatial] to [N, C, 1, ...]. */
    static Kernel globalPool(boolean max) {
        return new Kernel.Differentiable() {
            @Override
            public Value[] forward(Value[] in, Context ctx) {
                int[] dims = in[0].dims();
                int planes = dims[0] * dims[1];
                int plane = in[0].size() / Math.max(planes, 1);
                float[] x = in[0].floatData();
                float[] y = new float[planes];
                for (int p = 0; p < planes; p++) {
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    for (int i = 0; i < plane; i++) {
                        float v = x[p * plane + i];
                        acc = max ? Math.max(acc, v) : acc + v;
                    }
                    y[p] = max ? acc : acc / plane;
                }
                int[] outDims = dims.clone();
                for (int i = 2; i < outDims.length; i++) {
                    outDims[i] = 1;
                }
                return new Value[] {Value.floats(outDims, y, in[0].elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                int[] dims = in[0].dims();
                int planes = dims[0] * dims[1];
                int plane = in[0].size() / Math.max(planes, 1);
                float[] x = in[0].floatData();
                float[] y = out[0].floatData();
                float[] dy = gradOut[0].floatData();
                float[] dx = new float[x.length];
                // planes over the threads (each writes only its own)
                Blas.parallelRows(planes, ctx.threads(), (long) planes * plane, p -> {
                    for (int i = 0; i < plane; i++) {
                        if (!max) {
                            dx[p * plane + i] = dy[p] / plane;
                        } else if (x[p * plane + i] == y[p]) {
                            dx[p * plane + i] = dy[p];
                            break;
                        }
                    }
                });
                return new Value[] {Value.floats(dims, dx)};
            }
        };
    }
}
