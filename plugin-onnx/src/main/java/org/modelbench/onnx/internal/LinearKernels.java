package org.modelbench.onnx.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Gemm, MatMul, BatchNormalization, Softmax, ReduceMean and Dropout. */
final class LinearKernels {
    private LinearKernels() {
    }

    /**
     * {@code y[m x n] = a[m x k] b[n x k]^T} with SGEMM's bits: whole vectors of columns by
     * {@link VectorLoops#gemmTransposedB} (blocks of columns spread over the threads), the last
     * columns by the scalar chain.
     */
    static void smallBatchTimesTransposed(int m, int n, int k, float[] a, float[] b, float[] y, int threads) {
        int vl = VectorSupport.VL;
        int blocks = VectorSupport.AVAILABLE ? n / vl : 0;
        Blas.parallelRows(blocks, threads, (long) m * n * k, j -> VectorLoops.gemmTransposedB(m, n, k, a, b, y, j * vl,
                (j + 1) * vl));
        for (int i = 0; i < m; i++) {
            for (int j = blocks * vl; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[i * k + p], b[j * k + p], acc);
                }
                y[i * n + j] = acc;
            }
        }
    }

    /** Gemm: {@code Y = alpha * op(A) op(B) + beta * C}, A and B of rank 2, C broadcast to [M, N]. */
    static Kernel gemm(OnnxNode node) {
        boolean ta = node.i("transA", 0) != 0;
        boolean tb = node.i("transB", 0) != 0;
        float alpha = node.f("alpha", 1f);
        float beta = node.f("beta", 1f);
        return new Kernel.Differentiable() {
            private int[] mnk(Value a, Value b) {
                if (a.rank() != 2 || b.rank() != 2) {
                    throw node.error("expects rank-2 A and B, got " + Arrays.toString(a.dims()) + " and "
                            + Arrays.toString(b.dims()));
                }
                int m = ta ? a.dim(1) : a.dim(0);
                int k = ta ? a.dim(0) : a.dim(1);
                int kb = tb ? b.dim(1) : b.dim(0);
                int n = tb ? b.dim(0) : b.dim(1);
                if (k != kb) {
                    throw node.error("inner dimensions differ: A " + Arrays.toString(a.dims()) + (ta ? "^T" : "")
                            + ", B " + Arrays.toString(b.dims()) + (tb ? "^T" : ""));
                }
                return new int[] {m, n, k};
            }

            @Override
            public Value[] forward(Value[] in, Context ctx) {
                int[] s = mnk(in[0], in[1]);
                int m = s[0];
                int n = s[1];
                float[] y = new float[m * n];
                if (ctx.training()) {
                    // a training step (the node learns): the fastest SGEMM, bits by the batch's shape
                    Blas.product(true).gemm(ta, tb, m, n, s[2], in[0].floatData(), 0, in[1].floatData(), 0, y, 0, false,
                            ctx.threads());
                } else if (!ta && tb && m <= 32 && VectorSupport.AVAILABLE && n >= VectorSupport.VL) {
                    // inference, a small batch times weights stored [N, K] (a classifier): B read in place, not packed
                    smallBatchTimesTransposed(m, n, s[2], in[0].floatData(), in[1].floatData(), y, ctx.threads());
                } else {
                    Blas.gemm(ta, tb, m, n, s[2], in[0].floatData(), 0, in[1].floatData(), 0, y, 0, false, ctx.threads());
                }
                if (alpha != 1f) {
                    for (int i = 0; i < y.length; i++) {
                        y[i] *= alpha;
                    }
                }
                if (in.length > 2 && in[2] != null && beta != 0f) {
                    int[] cIndex = Broadcast.map(Broadcast.pad(in[2].dims(), 2), new int[] {m, n});
                    float[] c = in[2].floatData();
                    for (int i = 0; i < y.length; i++) {
                        y[i] += beta * c[cIndex[i]];
                    }
                }
                return new Value[] {Value.floats(new int[] {m, n}, y, in[0].elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                int[] s = mnk(in[0], in[1]);
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] dy = gradOut[0].floatData();
                if (alpha != 1f) {
                    dy = dy.clone();
                    for (int i = 0; i < dy.length; i++) {
                        dy[i] *= alpha;
                    }
                }
                float[] a = in[0].floatData();
                float[] b = in[1].floatData();
                Value[] grads = new Value[in.length];
                Blas.Product product = Blas.product(ctx.training());
                // op(A) = dY op(B)^T ; op(B) = op(A)^T dY (straight into B's parameter gradient when it is a sink)
                if (ctx.gradientUsed(0)) {
                    float[] da = new float[a.length];
                    if (!ta) {
                        product.gemm(false, !tb, m, k, n, dy, 0, b, 0, da, 0, false, ctx.threads());
                    } else {
                        product.gemm(tb, true, k, m, n, b, 0, dy, 0, da, 0, false, ctx.threads());
                    }
                    grads[0] = Value.floats(in[0].dims(), da);
                }
                float[] sink = ctx.gradientSink(1, b.length);
                if (sink != null || ctx.gradientUsed(1)) {
                    float[] db = sink != null ? sink : new float[b.length];
                    if (!tb) {
                        product.gemm(!ta, false, k, n, m, a, 0, dy, 0, db, 0, sink != null, ctx.threads());
                    } else {
                        product.gemm(true, ta, n, k, m, dy, 0, a, 0, db, 0, sink != null, ctx.threads());
                    }
                    grads[1] = sink != null ? null : Value.floats(in[1].dims(), db);
                }
                if (in.length > 2 && in[2] != null) {
                    float[] g = gradOut[0].floatData();
                    float[] scaled = new float[g.length];
                    for (int i = 0; i < g.length; i++) {
                        scaled[i] = beta * g[i];
                    }
                    int[] cIndex = Broadcast.map(Broadcast.pad(in[2].dims(), 2), new int[] {m, n});
                    grads[2] = Broadcast.reduce(scaled, cIndex, in[2].dims());
                }
                return grads;
            }

            @Override
            public boolean learnableInput(int index) {
                return index == 1 || index == 2;
            }
        };
    }

    /** MatMul with numpy semantics: rank-1 operands are promoted, batch dimensions broadcast. */
    static Kernel matMul(OnnxNode node) {
        return new Kernel.Differentiable() {
            /** [batchDims..., m, n, k] plus the promoted operand dims. */
            private record Plan(int[] aDims, int[] bDims, int m, int n, int k, int[] batch, int[] aBatch, int[] bBatch,
                                int[] outDims) {
            }

            private Plan plan(Value a, Value b) {
                int[] ad = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.dims();
                int[] bd = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.dims();
                int m = ad[ad.length - 2];
                int k = ad[ad.length - 1];
                if (bd[bd.length - 2] != k) {
                    throw node.error("inner dimensions differ: " + Arrays.toString(a.dims()) + " x "
                            + Arrays.toString(b.dims()));
                }
                int n = bd[bd.length - 1];
                int[] aB = Arrays.copyOf(ad, ad.length - 2);
                int[] bB = Arrays.copyOf(bd, bd.length - 2);
                Broadcast bc = Broadcast.of(aB, bB);
                int[] out = Arrays.copyOf(bc.outDims, bc.outDims.length + 2);
                out[out.length - 2] = m;
                out[out.length - 1] = n;
                int rank = out.length;
                if (a.rank() == 1) {
                    out = remove(out, rank - 2);
                    rank--;
                }
                if (b.rank() == 1) {
                    out = remove(out, rank - 1);
                }
                return new Plan(ad, bd, m, n, k, bc.outDims, bc.indexA, bc.indexB, out);
            }

            private int[] remove(int[] dims, int axis) {
                int[] r = new int[dims.length - 1];
                for (int i = 0, j = 0; i < dims.length; i++) {
                    if (i != axis) {
                        r[j++] = dims[i];
                    }
                }
                return r;
            }

            @Override
            public Value[] forward(Value[] in, Context ctx) {
                Plan p = plan(in[0], in[1]);
                int batches = p.aBatch.length;
                float[] a = in[0].floatData();
                float[] b = in[1].floatData();
                float[] y = new float[batches * p.m * p.n];
                for (int t = 0; t < batches; t++) {
                    Blas.gemm(false, false, p.m, p.n, p.k, a, p.aBatch[t] * p.m * p.k, b, p.bBatch[t] * p.k * p.n, y,
                            t * p.m * p.n, false, ctx.threads());
                }
                return new Value[] {Value.floats(p.outDims, y, in[0].elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                Plan p = plan(in[0], in[1]);
                int batches = p.aBatch.length;
                float[] a = in[0].floatData();
                float[] b = in[1].floatData();
                float[] dy = gradOut[0].floatData();
                float[] da = new float[a.length];
                float[] db = new float[b.length];
                Blas.Product product = Blas.product(ctx.training());
                for (int t = 0; t < batches; t++) {
                    int ao = p.aBatch[t] * p.m * p.k;
                    int bo = p.bBatch[t] * p.k * p.n;
                    int yo = t * p.m * p.n;
                    product.gemm(false, true, p.m, p.k, p.n, dy, yo, b, bo, da, ao, true, ctx.threads());
                    product.gemm(true, false, p.k, p.n, p.m, a, ao, dy, yo, db, bo, true, ctx.threads());
                }
                return new Value[] {Value.floats(in[0].dims(), da), Value.floats(in[1].dims(), db)};
            }

            @Override
            public boolean learnableInput(int index) {
                return index == 1;
            }
        };
    }

    /**
     * BatchNormalization over axis 1 of [N, C, ...]: inputs X, scale, B, mean, var. In training
     * mode it normalises with batch statistics and updates the running mean and variance in place
     * ({@code running = momentum * running + (1 - momentum) * batch}); otherwise it uses the running ones.
     */
    static Kernel batchNorm(OnnxNode node) {
        float epsilon = node.f("epsilon", 1e-5f);
        float momentum = node.f("momentum", 0.9f);
        // ONNX's own training mode (opset 14+): batch statistics, and the updated running
        // statistics as outputs 1 and 2 instead of in-place updates.
        boolean statisticsOutputs = node.outputs().size() > 1 && node.outputs().stream().skip(1).anyMatch(o -> !o.isEmpty());
        boolean onnxTraining = node.i("training_mode", 0) != 0;
        if (statisticsOutputs && !onnxTraining) {
            throw node.unsupported("running-statistics outputs need training_mode = 1");
        }
        return new Kernel.Differentiable() {
            @Override
            public Value[] forward(Value[] in, Context ctx) {
                int[] dims = in[0].dims();
                int n = dims[0];
                int c = dims.length > 1 ? dims[1] : 1;
                int plane = in[0].size() / Math.max(n * c, 1);
                float[] x = in[0].floatData();
                float[] scale = in[1].floatData();
                float[] bias = in[2].floatData();
                float[] mean = in[3].floatData();
                float[] var = in[4].floatData();
                if (scale.length != c || bias.length != c || mean.length != c || var.length != c) {
                    throw node.error("expects scale, B, mean and var of " + c + " channels");
                }
                float[] y = new float[x.length];
                boolean training = ctx.training() || onnxTraining;
                float[] newMean = statisticsOutputs ? mean.clone() : mean;
                float[] newVar = statisticsOutputs ? var.clone() : var;
                for (int ch = 0; ch < c; ch++) {
                    double mu;
                    double v;
                    if (training) {
                        double sum = 0;
                        double sq = 0;
                        for (int s = 0; s < n; s++) {
                            int o = (s * c + ch) * plane;
                            for (int i = 0; i < plane; i++) {
                                sum += x[o + i];
                            }
                        }
                        mu = sum / ((double) n * plane);
                        for (int s = 0; s < n; s++) {
                            int o = (s * c + ch) * plane;
                            for (int i = 0; i < plane; i++) {
                                double d = x[o + i] - mu;
                                sq += d * d;
                            }
                        }
                        v = sq / ((double) n * plane);
                        newMean[ch] = (float) (momentum * mean[ch] + (1 - momentum) * mu);
                        newVar[ch] = (float) (momentum * var[ch] + (1 - momentum) * v);
                    } else {
                        mu = mean[ch];
                        v = var[ch];
                    }
                    float inv = (float) (1.0 / Math.sqrt(v + epsilon));
                    float a = scale[ch] * inv;
                    float b = (float) (bias[ch] - mu * a);
                    for (int s = 0; s < n; s++) {
                        int o = (s * c + ch) * plane;
                        for (int i = 0; i < plane; i++) {
                            y[o + i] = x[o + i] * a + b;
                        }
                    }
                }
                Value out = Value.floats(dims, y, in[0].elementType());
                return statisticsOutputs ? new Value[] {out, Value.floats(in[3].dims(), newMean, in[3].elementType()),
                        Value.floats(in[4].dims(), newVar, in[4].elementType())} : new Value[] {out};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                int[] dims = in[0].dims();
                int n = dims[0];
                int c = dims[1];
                int plane = in[0].size() / (n * c);
                float[] x = in[0].floatData();
                float[] scale = in[1].floatData();
                float[] dy = gradOut[0].floatData();
                float[] dx = new float[x.length];
                float[] dScale = new float[c];
                float[] dBias = new float[c];
                double count = (double) n * plane;
                for (int ch = 0; ch < c; ch++) {
                    double mu;
                    double v;
                    if (ctx.training() || onnxTraining) {
                        double sum = 0;
                        for (int s = 0; s < n; s++) {
                            for (int i = 0; i < plane; i++) {
                                sum += x[(s * c + ch) * plane + i];
                            }
                        }
                        mu = sum / count;
                        double sq = 0;
                        for (int s = 0; s < n; s++) {
                            for (int i = 0; i < plane; i++) {
                                double d = x[(s * c + ch) * plane + i] - mu;
                                sq += d * d;
                            }
                        }
                        v = sq / count;
                    } else {
                        mu = in[3].floatData()[ch];
                        v = in[4].floatData()[ch];
                    }
                    double inv = 1.0 / Math.sqrt(v + epsilon);
                    double sumDy = 0;
                    double sumDyXhat = 0;
                    for (int s = 0; s < n; s++) {
                        int o = (s * c + ch) * plane;
                        for (int i = 0; i < plane; i++) {
                            double xhat = (x[o + i] - mu) * inv;
                            sumDy += dy[o + i];
                            sumDyXhat += dy[o + i] * xhat;
                        }
                    }
                    dScale[ch] = (float) sumDyXhat;
                    dBias[ch] = (float) sumDy;
                    for (int s = 0; s < n; s++) {
                        int o = (s * c + ch) * plane;
                        for (int i = 0; i < plane; i++) {
                            if (ctx.training() || onnxTraining) {
                                double xhat = (x[o + i] - mu) * inv;
                                dx[o + i] = (float) (scale[ch] * inv * (dy[o + i] - sumDy / count - xhat * sumDyXhat / count));
                            } else {
                                dx[o + i] = (float) (scale[ch] * inv * dy[o + i]);
                            }
                        }
                    }
                }
                Value[] grads = new Value[in.length];
                grads[0] = Value.floats(dims, dx);
                grads[1] = Value.floats(in[1].dims(), dScale);
                grads[2] = Value.floats(in[2].dims(), dBias);
                return grads;
            }

            @Override
            public boolean learnableInput(int index) {
                return index == 1 || index == 2;
            }
        };
    }

    /**
     * Softmax (and LogSoftmax): from opset 13 along {@code axis} (default -1); before, over the
     * input coerced to 2-D at {@code axis} (default 1).
     */
    static Kernel softmax(OnnxNode node, boolean log) {
        boolean coerce = node.opset() < 13;
        long axisAttr = node.i("axis", coerce ? 1 : -1);
        return new Kernel.Differentiable() {
            /** [outer, axisLength, inner] */
            private int[] layout(int[] dims) {
                int axis = (int) (axisAttr < 0 ? axisAttr + dims.length : axisAttr);
                if (axis < 0 || axis >= Math.max(dims.length, 1)) {
                    throw node.error("axis " + axisAttr + " outside rank " + dims.length);
                }
                int outer = 1;
                for (int i = 0; i < axis; i++) {
                    outer *= dims[i];
                }
                if (coerce) {
                    int rest = 1;
                    for (int i = axis; i < dims.length; i++) {
                        rest *= dims[i];
                    }
                    return new int[] {outer, rest, 1};
                }
                int inner = 1;
                for (int i = axis + 1; i < dims.length; i++) {
                    inner *= dims[i];
                }
                return new int[] {outer, dims[axis], inner};
            }

            @Override
            public Value[] forward(Value[] in, Context ctx) {
                int[] l = layout(in[0].dims());
                float[] x = in[0].floatData();
                float[] y = new float[x.length];
                for (int o = 0; o < l[0]; o++) {
                    for (int i = 0; i < l[2]; i++) {
                        int base = o * l[1] * l[2] + i;
                        float max = Float.NEGATIVE_INFINITY;
                        for (int a = 0; a < l[1]; a++) {
                            max = Math.max(max, x[base + a * l[2]]);
                        }
                        double sum = 0;
                        for (int a = 0; a < l[1]; a++) {
                            sum += Math.exp(x[base + a * l[2]] - max);
                        }
                        double logSum = Math.log(sum);
                        for (int a = 0; a < l[1]; a++) {
                            double z = x[base + a * l[2]] - max;
                            y[base + a * l[2]] = (float) (log ? z - logSum : Math.exp(z) / sum);
                        }
                    }
                }
                return new Value[] {Value.floats(in[0].dims(), y, in[0].elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                int[] l = layout(in[0].dims());
                float[] y = out[0].floatData();
                float[] dy = gradOut[0].floatData();
                float[] dx = new float[y.length];
                for (int o = 0; o < l[0]; o++) {
                    for (int i = 0; i < l[2]; i++) {
                        int base = o * l[1] * l[2] + i;
                        double dot = 0;
                        for (int a = 0; a < l[1]; a++) {
                            int e = base + a * l[2];
                            dot += log ? dy[e] : dy[e] * y[e];
                        }
                        for (int a = 0; a < l[1]; a++) {
                            int e = base + a * l[2];
                            dx[e] = log ? (float) (dy[e] - Math.exp(y[e]) * dot) : (float) (y[e] * (dy[e] - dot));
                        }
                    }
                }
                return new Value[] {Value.floats(in[0].dims(), dx)};
            }
        };
    }

    /** ReduceMean: axes from the attribute (opset &lt; 18) or the optional second input (opset &gt;= 18). */
    static Kernel reduceMean(OnnxNode node) {
        boolean keep = node.i("keepdims", 1) != 0;
        boolean noopEmpty = node.i("noop_with_empty_axes", 0) != 0;
        long[] attrAxes = node.ints("axes", null);
        boolean axesAsInput = node.opset() >= 18;
        return new Kernel.Differentiable() {
            private boolean[] reduced(Value[] in) {
                int rank = in[0].rank();
                long[] axes = axesAsInput ? (in.length > 1 && in[1] != null ? in[1].longData() : null) : attrAxes;
                boolean[] r = new boolean[rank];
                if (axes == null || axes.length == 0) {
                    Arrays.fill(r, !noopEmpty);
                    return r;
                }
                for (long a : axes) {
                    int axis = (int) (a < 0 ? a + rank : a);
                    if (axis < 0 || axis >= rank) {
                        throw node.error("axis " + a + " outside rank " + rank);
                    }
                    r[axis] = true;
                }
                return r;
            }

            private int[] index(int[] dims, boolean[] r, int[] outFull) {
                return Broadcast.map(outFull, dims);
            }

            private int[] outFull(int[] dims, boolean[] r) {
                int[] out = dims.clone();
                for (int i = 0; i < dims.length; i++) {
                    if (r[i]) {
                        out[i] = 1;
                    }
                }
                return out;
            }

            private int[] outDims(int[] full, boolean[] r) {
                if (keep) {
                    return full;
                }
                int count = 0;
                for (boolean b : r) {
                    count += b ? 0 : 1;
                }
                int[] out = new int[count];
                for (int i = 0, j = 0; i < full.length; i++) {
                    if (!r[i]) {
                        out[j++] = full[i];
                    }
                }
                return out;
            }

            @Override
            public Value[] forward(Value[] in, Context ctx) {
                int[] dims = in[0].dims();
                boolean[] r = reduced(in);
                int[] full = outFull(dims, r);
                int[] idx = index(dims, r, full);
                float[] x = in[0].floatData();
                int outSize = (int) Value.size(full);
                double[] acc = new double[outSize];
                for (int e = 0; e < x.length; e++) {
                    acc[idx[e]] += x[e];
                }
                int count = x.length / Math.max(outSize, 1);
                float[] y = new float[outSize];
                for (int i = 0; i < outSize; i++) {
                    y[i] = (float) (acc[i] / count);
                }
                return new Value[] {Value.floats(outDims(full, r), y, in[0].elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                int[] dims = in[0].dims();
                boolean[] r = reduced(in);
                int[] full = outFull(dims, r);
                int[] idx = index(dims, r, full);
                float[] dy = gradOut[0].floatData();
                int count = in[0].size() / Math.max(dy.length, 1);
                float[] dx = new float[in[0].size()];
                for (int e = 0; e < dx.length; e++) {
                    dx[e] = dy[idx[e]] / count;
                }
                Value[] grads = new Value[in.length];
                grads[0] = Value.floats(dims, dx);
                return grads;
            }
        };
    }

    /**
     * Dropout: identity at inference; in training, zeroes each element with probability {@code ratio}
     * and scales the rest by {@code 1 / (1 - ratio)}, the mask derived from the context seed alone.
     */
    static Kernel dropout(OnnxNode node) {
        float attrRatio = node.f("ratio", 0.5f);
        boolean ratioAsInput = node.opset() >= 12;
        boolean maskOutput = node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
        return new Kernel.Differentiable() {
            private float ratio(Value[] in) {
                return ratioAsInput ? (in.length > 1 && in[1] != null ? (float) in[1].scalar() : 0.5f) : attrRatio;
            }

            private boolean training(Value[] in, Context ctx) {
                if (ratioAsInput && in.length > 2 && in[2] != null) {
                    return in[2].scalar() != 0;
                }
                return ctx.training();
            }

            private float[] mask(Value[] in, Context ctx) {
                int n = in[0].size();
                float[] mask = new float[n];
                float ratio = ratio(in);
                if (!training(in, ctx) || ratio == 0f) {
                    Arrays.fill(mask, 1f);
                    return mask;
                }
                SplittableRandom random = new SplittableRandom(ctx.seed());
                float keep = 1f / (1f - ratio);
                for (int i = 0; i < n; i++) {
                    mask[i] = random.nextDouble() < ratio ? 0f : keep;
                }
                return mask;
            }

            @Override
            public Value[] forward(Value[] in, Context ctx) {
                float[] mask = mask(in, ctx);
                float[] x = in[0].floatData();
                float[] y = new float[x.length];
                long[] m = new long[x.length];
                for (int i = 0; i < x.length; i++) {
                    y[i] = x[i] * mask[i];
                    m[i] = mask[i] != 0f ? 1 : 0;
                }
                Value out = Value.floats(in[0].dims(), y, in[0].elementType());
                return maskOutput ? new Value[] {out, Value.longs(in[0].dims(), m, Value.BOOL)} : new Value[] {out};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                float[] mask = mask(in, ctx);
                float[] dy = gradOut[0].floatData();
                float[] dx = new float[dy.length];
                for (int i = 0; i < dy.length; i++) {
                    dx[i] = dy[i] * mask[i];
                }
                Value[] grads = new Value[in.length];
                grads[0] = Value.floats(in[0].dims(), dx);
                return grads;
            }
        };
    }
}
