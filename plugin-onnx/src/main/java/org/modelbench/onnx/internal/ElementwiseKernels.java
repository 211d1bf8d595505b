package org.modelbench.onnx.internal;

import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/** Element-wise ONNX operators: activations, Clip, and the broadcasting arithmetic operators. */
final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    /** A float function applied element-wise, with its derivative from input {@code x} and output {@code y}. */
    interface Unary {
        float apply(float x);

        float derivative(float x, float y);
    }

    static Kernel unary(Unary f) {
        return new Kernel.Differentiable() {
            @Override
            public Value[] forward(Value[] in, Context context) {
                float[] x = in[0].floatData();
                float[] y = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    y[i] = f.apply(x[i]);
                }
                return new Value[] {Value.floats(in[0].dims(), y, in[0].elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context context) {
                float[] x = in[0].floatData();
                float[] y = out[0].floatData();
                float[] g = gradOut[0].floatData();
                float[] gx = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    gx[i] = g[i] * f.derivative(x[i], y[i]);
                }
                Value[] result = new Value[in.length];
                result[0] = Value.floats(in[0].dims(), gx);
                return result;
            }
        };
    }

    /** Relu ({@code x > 0 ? x : 0}) in its own loops (a shared {@link Unary} call site would not inline). */
    static Kernel relu() {
        return new Kernel.Differentiable() {
            @Override
            public Value[] forward(Value[] in, Context context) {
                float[] x = in[0].floatData();
                float[] y = new float[x.length];
                relu(x, y, context.threads());
                return new Value[] {Value.floats(in[0].dims(), y, in[0].elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context context) {
                float[] x = in[0].floatData();
                float[] g = gradOut[0].floatData();
                float[] gx = new float[x.length];
                inChunks(x.length, context.threads(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        gx[i] = x[i] > 0 ? g[i] : 0f;
                    }
                });
                Value[] result = new Value[in.length];
                result[0] = Value.floats(in[0].dims(), gx);
                return result;
            }
        };
    }

    /** {@code y[i] = x[i] > 0 ? x[i] : 0} ({@code y} may be {@code x}: Relu fused in place after a Conv or Gemm). */
    static void relu(float[] x, float[] y, int threads) {
        inChunks(x.length, threads, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = x[i];
                y[i] = v > 0 ? v : 0f;
            }
        });
    }

    /** A loop body over {@code [from, to)}. */
    interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, n)} in chunks of 64K elements, spread over the threads when large. */
    static void inChunks(int n, int threads, Range body) {
        int chunk = 1 << 16;
        int chunks = (n + chunk - 1) / chunk;
        Blas.parallelRows(chunks, threads, n, c -> body.run(c * chunk, Math.min(n, (c + 1) * chunk)));
    }

    static Kernel leakyRelu(float alpha) {
        return unary(new Unary() {
            public float apply(float x) {
                return x >= 0 ? x : alpha * x;
            }

            public float derivative(float x, float y) {
                return x >= 0 ? 1f : alpha;
            }
        });
    }

    static Kernel sigmoid() {
        return unary(new Unary() {
            public float apply(float x) {
                return (float) (1.0 / (1.0 + Math.exp(-x)));
            }

            public float derivative(float x, float y) {
                return y * (1 - y);
            }
        });
    }

    static Kernel tanh() {
        return unary(new Unary() {
            public float apply(float x) {
                return (float) Math.tanh(x);
            }

            public float derivative(float x, float y) {
                return 1 - y * y;
            }
        });
    }

    static Kernel identityFloat() {
        return unary(new Unary() {
            public float apply(float x) {
                return x;
            }

            public float derivative(float x, float y) {
                return 1f;
            }
        });
    }

    static Kernel neg() {
        return unary(new Unary() {
            public float apply(float x) {
                return -x;
            }

            public float derivative(float x, float y) {
                return -1f;
            }
        });
    }

    static Kernel exp() {
        return unary(new Unary() {
            public float apply(float x) {
                return (float) Math.exp(x);
            }

            public float derivative(float x, float y) {
                return y;
            }
        });
    }

    static Kernel sqrt() {
        return unary(new Unary() {
            public float apply(float x) {
                return (float) Math.sqrt(x);
            }

            public float derivative(float x, float y) {
                return 0.5f / y;
            }
        });
    }

    static Kernel abs() {
        return unary(new Unary() {
            public float apply(float x) {
                return Math.abs(x);
            }

            public float derivative(float x, float y) {
                return x > 0 ? 1f : x < 0 ? -1f : 0f;
            }
        });
    }

    /**
     * Clip: bounds from attributes (opset &lt; 11) or from optional inputs 1 and 2 (opset &gt;= 11);
     * the gradient passes where {@code min <= x <= max}.
     */
    static Kernel clip(OnnxNode node) {
        boolean boundsAsInputs = node.opset() >= 11;
        float attrMin = node.f("min", Float.NEGATIVE_INFINITY);
        float attrMax = node.f("max", Float.POSITIVE_INFINITY);
        return new Kernel.Differentiable() {
            private float[] bounds(Value[] in) {
                if (!boundsAsInputs) {
                    return new float[] {attrMin, attrMax};
                }
                float lo = in.length > 1 && in[1] != null ? (float) in[1].scalar() : Float.NEGATIVE_INFINITY;
                float hi = in.length > 2 && in[2] != null ? (float) in[2].scalar() : Float.POSITIVE_INFINITY;
                return new float[] {lo, hi};
            }

            @Override
            public Value[] forward(Value[] in, Context context) {
                float[] b = bounds(in);
                if (!in[0].isFloating()) {
                    long[] x = in[0].longData();
                    long[] y = new long[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = (long) Math.min(Math.max(x[i], b[0]), b[1]);
                    }
                    return new Value[] {Value.longs(in[0].dims(), y, in[0].elementType())};
                }
                float[] x = in[0].floatData();
                float[] y = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    y[i] = Math.min(Math.max(x[i], b[0]), b[1]);
                }
                return new Value[] {Value.floats(in[0].dims(), y, in[0].elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context context) {
                float[] b = bounds(in);
                float[] x = in[0].floatData();
                float[] g = gradOut[0].floatData();
                float[] gx = new float[x.length];
                float lo = b[0];
                float hi = b[1];
                inChunks(x.length, context.threads(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        gx[i] = x[i] >= lo && x[i] <= hi ? g[i] : 0f;
                    }
                });
                Value[] result = new Value[in.length];
                result[0] = Value.floats(in[0].dims(), gx);
                return result;
            }
        };
    }

    /** The four arithmetic operators. */
    enum Arithmetic {
        ADD((a, b) -> a + b, (a, b) -> a + b),
        SUB((a, b) -> a - b, (a, b) -> a - b),
        MUL((a, b) -> a * b, (a, b) -> a * b),
        DIV((a, b) -> a / b, (a, b) -> a / b);

        final DoubleBinaryOperator floats;
        final LongBinaryOperator longs;

        Arithmetic(DoubleBinaryOperator floats, LongBinaryOperator longs) {
            this.floats = floats;
            this.longs = longs;
        }
    }

    /** A broadcasting binary operator on floats (differentiable) or integers (for shape arithmetic). */
    static Kernel binary(Arithmetic op) {
        return new Kernel.Differentiable() {
            @Override
            public Value[] forward(Value[] in, Context context) {
                if (sameShapeFloatAdd(in)) {
                    // a residual connection: no index maps
                    float[] a = in[0].floatData();
                    float[] b = in[1].floatData();
                    float[] y = new float[a.length];
                    inChunks(a.length, context.threads(), (from, to) -> {
                        for (int i = from; i < to; i++) {
                            y[i] = a[i] + b[i];
                        }
                    });
                    return new Value[] {Value.floats(in[0].dims(), y, in[0].elementType())};
                }
                Broadcast bc = Broadcast.of(in[0].dims(), in[1].dims());
                int n = bc.indexA.length;
                if (!in[0].isFloating() && !in[1].isFloating()) {
                    long[] a = in[0].longData();
                    long[] b = in[1].longData();
                    long[] y = new long[n];
                    for (int i = 0; i < n; i++) {
                        y[i] = op.longs.applyAsLong(a[bc.indexA[i]], b[bc.indexB[i]]);
                    }
                    return new Value[] {Value.longs(bc.outDims, y, in[0].elementType())};
                }
                float[] a = in[0].asFloats();
                float[] b = in[1].asFloats();
                float[] y = new float[n];
                switch (op) {
                    case ADD -> {
                        for (int i = 0; i < n; i++) {
                            y[i] = a[bc.indexA[i]] + b[bc.indexB[i]];
                        }
                    }
                    case SUB -> {
                        for (int i = 0; i < n; i++) {
                            y[i] = a[bc.indexA[i]] - b[bc.indexB[i]];
                        }
                    }
                    case MUL -> {
                        for (int i = 0; i < n; i++) {
                            y[i] = a[bc.indexA[i]] * b[bc.indexB[i]];
                        }
                    }
                    case DIV -> {
                        for (int i = 0; i < n; i++) {
                            y[i] = a[bc.indexA[i]] / b[bc.indexB[i]];
                        }
                    }
                }
                int type = in[0].isFloating() ? in[0].elementType() : in[1].elementType();
                return new Value[] {Value.floats(bc.outDims, y, type)};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context context) {
                if (sameShapeFloatAdd(in)) {
                    float[] g = gradOut[0].floatData();
                    return new Value[] {Value.floats(in[0].dims(), g.clone()), Value.floats(in[1].dims(), g.clone())};
                }
                Broadcast bc = Broadcast.of(in[0].dims(), in[1].dims());
                float[] g = gradOut[0].floatData();
                float[] a = in[0].asFloats();
                float[] b = in[1].asFloats();
                int n = g.length;
                float[] ga = new float[n];
                float[] gb = new float[n];
                for (int i = 0; i < n; i++) {
                    float x = a[bc.indexA[i]];
                    float z = b[bc.indexB[i]];
                    switch (op) {
                        case ADD -> {
                            ga[i] = g[i];
                            gb[i] = g[i];
                        }
                        case SUB -> {
                            ga[i] = g[i];
                            gb[i] = -g[i];
                        }
                        case MUL -> {
                            ga[i] = g[i] * z;
                            gb[i] = g[i] * x;
                        }
                        case DIV -> {
                            ga[i] = g[i] / z;
                            gb[i] = -g[i] * x / (z * z);
                        }
                    }
                }
                return new Value[] {Broadcast.reduce(ga, bc.indexA, in[0].dims()),
                        Broadcast.reduce(gb, bc.indexB, in[1].dims())};
            }

            private boolean sameShapeFloatAdd(Value[] in) {
                return op == Arithmetic.ADD && in[0].isFloating() && in[1].isFloating()
                        && java.util.Arrays.equals(in[0].dims(), in[1].dims()) && in[0].elementType() == in[1].elementType();
            }

            /** Only Add learns its constant operand (a bias, as in MatMul + Add); scale and shift constants stay fixed. */
            @Override
            public boolean learnableInput(int index) {
                return op == Arithmetic.ADD;
            }
        };
    }
}
