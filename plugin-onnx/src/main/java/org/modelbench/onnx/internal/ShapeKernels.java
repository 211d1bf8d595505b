package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import java.util.Arrays;

/**
 * Operators that move elements without arithmetic (Reshape, Flatten, Transpose, Concat, Pad,
 * Slice, Gather, Squeeze, Unsqueeze, Identity) and the shape helpers exporters emit (Shape, Cast,
 * ConstantOfShape, Constant). They work on float and integer values alike.
 */
final class ShapeKernels {
    private ShapeKernels() {
    }

    /**
     * A kernel whose output element {@code e} is input element {@code index[e]} ({@code -1} for a
     * fill value); the backward pass scatters the gradient back through the same map.
     */
    abstract static class Gathering implements Kernel.Differentiable {
        /** Output dims and the source index of each output element. */
        record Plan(int[] dims, int[] index, double fill) {
        }

        abstract Plan plan(Value[] in);

        @Override
        public Value[] forward(Value[] in, Context ctx) {
            Plan p = plan(in);
            int n = p.index.length;
            if (in[0].isFloating()) {
                float[] x = in[0].floatData();
                float[] y = new float[n];
                for (int e = 0; e < n; e++) {
                    y[e] = p.index[e] >= 0 ? x[p.index[e]] : (float) p.fill;
                }
                return new Value[] {Value.floats(p.dims, y, in[0].elementType())};
            }
            long[] x = in[0].longData();
            long[] y = new long[n];
            for (int e = 0; e < n; e++) {
                y[e] = p.index[e] >= 0 ? x[p.index[e]] : (long) p.fill;
            }
            return new Value[] {Value.longs(p.dims, y, in[0].elementType())};
        }

        @Override
        public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
            Plan p = plan(in);
            float[] dy = gradOut[0].floatData();
            float[] dx = new float[in[0].size()];
            for (int e = 0; e < dy.length; e++) {
                if (p.index[e] >= 0) {
                    dx[p.index[e]] += dy[e];
                }
            }
            Value[] grads = new Value[in.length];
            grads[0] = Value.floats(in[0].dims(), dx);
            return grads;
        }
    }

    /** A kernel that only changes the dims (Reshape, Flatten, Squeeze, Unsqueeze, Identity). */
    abstract static class Reshaping implements Kernel.Differentiable {
        abstract int[] outDims(Value[] in);

        @Override
        public Value[] forward(Value[] in, Context ctx) {
            int[] dims = outDims(in);
            if (Value.size(dims) != in[0].size()) {
                throw new IllegalArgumentException("cannot view " + Arrays.toString(in[0].dims()) + " as "
                        + Arrays.toString(dims));
            }
            return new Value[] {in[0].reshape(dims)};
        }

        @Override
        public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
            Value[] grads = new Value[in.length];
            grads[0] = gradOut[0].reshape(in[0].dims());
            return grads;
        }
    }

    static int[] strides(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    static int axis(OnnxNode node, long axis, int rank) {
        int a = (int) (axis < 0 ? axis + rank : axis);
        if (a < 0 || a >= rank) {
            throw node.error("axis " + axis + " outside rank " + rank);
        }
        return a;
    }

    static Kernel identity() {
        return new Reshaping() {
            int[] outDims(Value[] in) {
                return in[0].dims();
            }
        };
    }

    /** Reshape with the target from input 1 (or attribute {@code shape} before opset 5): 0 copies, -1 infers. */
    static Kernel reshape(OnnxNode node) {
        boolean allowZero = node.i("allowzero", 0) != 0;
        long[] attrShape = node.ints("shape", null);
        return new Reshaping() {
            int[] outDims(Value[] in) {
                long[] target = in.length > 1 && in[1] != null ? in[1].longData() : attrShape;
                if (target == null) {
                    throw node.error("no target shape");
                }
                int[] dims = in[0].dims();
                int[] out = new int[target.length];
                int infer = -1;
                long known = 1;
                for (int i = 0; i < target.length; i++) {
                    long t = target[i];
                    if (t == 0 && !allowZero) {
                        if (i >= dims.length) {
                            throw node.error("shape entry 0 at " + i + " copies a dimension the input does not have");
                        }
                        t = dims[i];
                    }
                    if (t == -1) {
                        if (infer >= 0) {
                            throw node.error("more than one -1 in shape " + Arrays.toString(target));
                        }
                        infer = i;
                        continue;
                    }
                    if (t < 0) {
                        throw node.error("invalid shape entry " + t);
                    }
                    out[i] = (int) t;
                    known *= t;
                }
                if (infer >= 0) {
                    if (known == 0 || in[0].size() % known != 0) {
                        throw node.error("cannot reshape " + Arrays.toString(dims) + " to " + Arrays.toString(target));
                    }
                    out[infer] = (int) (in[0].size() / known);
                } else if (known != in[0].size()) {
                    throw node.error("cannot reshape " + Arrays.toString(dims) + " (" + in[0].size() + " elements) to "
                            + Arrays.toString(target));
                }
                return out;
            }
        };
    }

    /** Flatten at {@code axis} (default 1) to rank 2. */
    static Kernel flatten(OnnxNode node) {
        long axisAttr = node.i("axis", 1);
        return new Reshaping() {
            int[] outDims(Value[] in) {
                int[] dims = in[0].dims();
                int axis = (int) (axisAttr < 0 ? axisAttr + dims.length : axisAttr);
                if (axis < 0 || axis > dims.length) {
                    throw node.error("axis " + axisAttr + " outside rank " + dims.length);
                }
                long outer = 1;
                for (int i = 0; i < axis; i++) {
                    outer *= dims[i];
                }
                return new int[] {(int) outer, (int) (in[0].size() / Math.max(outer, 1))};
            }
        };
    }

    /** Squeeze (axes from the attribute before opset 13, else input 1) or Unsqueeze likewise. */
    static Kernel squeeze(OnnxNode node, boolean unsqueeze) {
        long[] attrAxes = node.ints("axes", null);
        boolean axesAsInput = node.opset() >= 13;
        return new Reshaping() {
            int[] outDims(Value[] in) {
                long[] axes = axesAsInput ? (in.length > 1 && in[1] != null ? in[1].longData() : null) : attrAxes;
                int[] dims = in[0].dims();
                if (unsqueeze) {
                    if (axes == null) {
                        throw node.error("no axes");
                    }
                    int rank = dims.length + axes.length;
                    boolean[] inserted = new boolean[rank];
                    for (long a : axes) {
                        inserted[axis(node, a, rank)] = true;
                    }
                    int[] out = new int[rank];
                    for (int i = 0, j = 0; i < rank; i++) {
                        out[i] = inserted[i] ? 1 : dims[j++];
                    }
                    return out;
                }
                boolean[] removed = new boolean[dims.length];
                if (axes == null) {
                    for (int i = 0; i < dims.length; i++) {
                        removed[i] = dims[i] == 1;
                    }
                } else {
                    for (long a : axes) {
                        int ax = axis(node, a, dims.length);
                        if (dims[ax] != 1) {
                            throw node.error("cannot squeeze axis " + a + " of size " + dims[ax]);
                        }
                        removed[ax] = true;
                    }
                }
                return java.util.stream.IntStream.range(0, dims.length).filter(i -> !removed[i]).map(i -> dims[i])
                        .toArray();
            }
        };
    }

    /** Transpose by {@code perm} (default: reversed axes). */
    static Kernel transpose(OnnxNode node) {
        long[] permAttr = node.ints("perm", null);
        return new Gathering() {
            Plan plan(Value[] in) {
                int[] dims = in[0].dims();
                int rank = dims.length;
                int[] perm = new int[rank];
                for (int i = 0; i < rank; i++) {
                    perm[i] = permAttr == null ? rank - 1 - i : (int) permAttr[i];
                }
                if (permAttr != null && permAttr.length != rank) {
                    throw node.error("perm " + Arrays.toString(permAttr) + " does not match rank " + rank);
                }
                int[] out = new int[rank];
                for (int i = 0; i < rank; i++) {
                    out[i] = dims[perm[i]];
                }
                int[] inStrides = strides(dims);
                int[] srcStride = new int[rank];
                for (int i = 0; i < rank; i++) {
                    srcStride[i] = inStrides[perm[i]];
                }
                return new Plan(out, walk(out, srcStride, 0), 0);
            }
        };
    }

    /** Source indices for iterating {@code dims} in row-major order with per-axis source strides. */
    static int[] walk(int[] dims, int[] srcStride, int start) {
        int n = (int) Value.size(dims);
        int[] index = new int[n];
        int rank = dims.length;
        int[] counter = new int[rank];
        int offset = start;
        for (int e = 0; e < n; e++) {
            index[e] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                offset += srcStride[d];
                if (counter[d] < dims[d]) {
                    break;
                }
                offset -= srcStride[d] * counter[d];
                counter[d] = 0;
            }
        }
        return index;
    }

    /** Slice: starts/ends/axes/steps from inputs (opset 10+) or attributes (before). */
    static Kernel slice(OnnxNode node) {
        boolean asInputs = node.opset() >= 10;
        return new Gathering() {
            Plan plan(Value[] in) {
                int[] dims = in[0].dims();
                int rank = dims.length;
                long[] starts = asInputs ? in[1].asLongs() : node.ints("starts", null);
                long[] ends = asInputs ? in[2].asLongs() : node.ints("ends", null);
                long[] axes = asInputs ? (in.length > 3 && in[3] != null ? in[3].asLongs() : null)
                        : node.ints("axes", null);
                long[] steps = asInputs && in.length > 4 && in[4] != null ? in[4].asLongs() : null;
                if (starts == null || ends == null || starts.length != ends.length) {
                    throw node.error("starts and ends must be given with equal lengths");
                }
                int[] begin = new int[rank];
                int[] step = new int[rank];
                int[] out = dims.clone();
                Arrays.fill(step, 1);
                for (int i = 0; i < starts.length; i++) {
                    int a = axes == null ? i : axis(node, axes[i], rank);
                    long s = steps == null ? 1 : steps[i];
                    if (s == 0) {
                        throw node.error("step 0");
                    }
                    long d = dims[a];
                    long st = starts[i] < 0 ? starts[i] + d : starts[i];
                    long en = ends[i] < 0 ? ends[i] + d : ends[i];
                    if (s > 0) {
                        st = Math.max(0, Math.min(st, d));
                        en = Math.max(0, Math.min(en, d));
                        out[a] = (int) Math.max(0, (en - st + s - 1) / s);
                    } else {
                        st = Math.max(-1, Math.min(st, d - 1));
                        en = Math.max(-1, Math.min(en, d - 1));
                        out[a] = (int) Math.max(0, (st - en + (-s) - 1) / (-s));
                    }
                    begin[a] = (int) st;
                    step[a] = (int) s;
                }
                int[] inStrides = strides(dims);
                int[] srcStride = new int[rank];
                int start = 0;
                for (int i = 0; i < rank; i++) {
                    srcStride[i] = inStrides[i] * step[i];
                    start += begin[i] * inStrides[i];
                }
                if (Value.size(out) == 0) {
                    return new Plan(out, new int[0], 0);
                }
                return new Plan(out, walk(out, srcStride, start), 0);
            }
        };
    }

    /** Gather along {@code axis} with (possibly negative) indices from input 1. */
    static Kernel gather(OnnxNode node) {
        long axisAttr = node.i("axis", 0);
        return new Gathering() {
            Plan plan(Value[] in) {
                int[] dims = in[0].dims();
                int a = axis(node, axisAttr, dims.length);
                long[] idx = in[1].asLongs();
                int[] idxDims = in[1].dims();
                int outer = 1;
                for (int i = 0; i < a; i++) {
                    outer *= dims[i];
                }
                int inner = 1;
                for (int i = a + 1; i < dims.length; i++) {
                    inner *= dims[i];
                }
                int[] out = new int[dims.length - 1 + idxDims.length];
                System.arraycopy(dims, 0, out, 0, a);
                System.arraycopy(idxDims, 0, out, a, idxDims.length);
                System.arraycopy(dims, a + 1, out, a + idxDims.length, dims.length - a - 1);
                int[] index = new int[outer * idx.length * inner];
                int e = 0;
                for (int o = 0; o < outer; o++) {
                    for (long raw : idx) {
                        long j = raw < 0 ? raw + dims[a] : raw;
                        if (j < 0 || j >= dims[a]) {
                            throw node.error("index " + raw + " outside axis of size " + dims[a]);
                        }
                        for (int i = 0; i < inner; i++) {
                            index[e++] = (int) ((o * (long) dims[a] + j) * inner + i);
                        }
                    }
                }
                return new Plan(out, index, 0);
            }
        };
    }

    /**
     * Pad: modes constant, reflect and edge; pads (and the constant value, and from opset 18 axes)
     * from inputs (opset 11+) or attributes (before). Negative pads crop.
     */
    static Kernel pad(OnnxNode node) {
        boolean asInputs = node.opset() >= 11;
        String mode = node.s("mode", "constant");
        if (!mode.equals("constant") && !mode.equals("reflect") && !mode.equals("edge")) {
            throw node.unsupported("unsupported pad mode '" + mode + "'");
        }
        boolean edge = mode.equals("edge");
        boolean reflect = mode.equals("reflect");
        return new Gathering() {
            /** The input index an output position {@code i} (already shifted by the begin pad) reads, or -1. */
            private int source(int i, int size) {
                if (i >= 0 && i < size) {
                    return i;
                }
                if (edge) {
                    return Math.max(0, Math.min(i, size - 1));
                }
                if (reflect) {
                    int period = 2 * (size - 1);
                    if (period == 0) {
                        return 0;
                    }
                    int r = Math.floorMod(i, period);
                    return r >= size ? period - r : r;
                }
                return -1;
            }

            Plan plan(Value[] in) {
                int[] dims = in[0].dims();
                int rank = dims.length;
                long[] pads = asInputs ? in[1].asLongs() : node.ints("pads", node.ints("paddings", null));
                double fill = asInputs ? (in.length > 2 && in[2] != null && in[2].size() > 0 ? in[2].scalar() : 0)
                        : node.f("value", 0f);
                long[] axes = asInputs && in.length > 3 && in[3] != null ? in[3].asLongs() : null;
                int[] before = new int[rank];
                int[] after = new int[rank];
                int count = axes == null ? rank : axes.length;
                if (pads == null || pads.length != 2 * count) {
                    throw node.error("expects " + 2 * count + " pads, got " + (pads == null ? "none" : pads.length));
                }
                for (int i = 0; i < count; i++) {
                    int a = axes == null ? i : axis(node, axes[i], rank);
                    before[a] = (int) pads[i];
                    after[a] = (int) pads[i + count];
                }
                int[] out = new int[rank];
                for (int i = 0; i < rank; i++) {
                    out[i] = dims[i] + before[i] + after[i];
                    if (out[i] < 0) {
                        throw node.error("pads crop axis " + i + " below zero");
                    }
                }
                int n = (int) Value.size(out);
                int[] index = new int[n];
                if (rank == 0) {
                    return new Plan(out, new int[] {0}, fill);
                }
                if (n == 0) {
                    return new Plan(out, index, fill);
                }
                int[] inStrides = strides(dims);
                int last = rank - 1;
                int width = out[last];
                int[] lastMap = new int[width];
                for (int j = 0; j < width; j++) {
                    lastMap[j] = source(j - before[last], dims[last]);
                }
                int[] counter = new int[rank];
                for (int row = 0; row < n / width; row++) {
                    int base = 0;
                    for (int d = 0; d < last && base >= 0; d++) {
                        int i = source(counter[d] - before[d], dims[d]);
                        base = i < 0 ? -1 : base + i * inStrides[d];
                    }
                    for (int j = 0; j < width; j++) {
                        index[row * width + j] = base < 0 || lastMap[j] < 0 ? -1 : base + lastMap[j];
                    }
                    for (int d = last - 1; d >= 0; d--) {
                        if (++counter[d] < out[d]) {
                            break;
                        }
                        counter[d] = 0;
                    }
                }
                return new Plan(out, index, fill);
            }
        };
    }

    /** Concat along {@code axis}. */
    static Kernel concat(OnnxNode node) {
        long axisAttr = node.i("axis", 0);
        return new Kernel.Differentiable() {
            private int[] outDims(Value[] in, int a) {
                int[] out = in[0].dims();
                out[a] = 0;
                for (Value v : in) {
                    int[] d = v.dims();
                    if (d.length != out.length) {
                        throw node.error("inputs of different ranks");
                    }
                    for (int i = 0; i < d.length; i++) {
                        if (i != a && d[i] != out[i]) {
                            throw node.error("input dims " + Arrays.toString(d) + " differ from " + Arrays.toString(in[0].dims())
                                    + " outside axis " + a);
                        }
                    }
                    out[a] += d[a];
                }
                return out;
            }

            @Override
            public Value[] forward(Value[] in, Context ctx) {
                int a = axis(node, axisAttr, in[0].rank());
                int[] out = outDims(in, a);
                int outer = 1;
                for (int i = 0; i < a; i++) {
                    outer *= out[i];
                }
                int inner = (int) (Value.size(out) / Math.max(1, (long) outer * out[a])) ;
                boolean floating = in[0].isFloating();
                int n = (int) Value.size(out);
                float[] yf = floating ? new float[n] : null;
                long[] yl = floating ? null : new long[n];
                int offset = 0;
                for (Value v : in) {
                    int chunk = v.dim(a) * inner;
                    for (int o = 0; o < outer; o++) {
                        int dst = o * out[a] * inner + offset;
                        if (floating) {
                            System.arraycopy(v.floatData(), o * chunk, yf, dst, chunk);
                        } else {
                            System.arraycopy(v.longData(), o * chunk, yl, dst, chunk);
                        }
                    }
                    offset += chunk;
                }
                return new Value[] {floating ? Value.floats(out, yf, in[0].elementType())
                        : Value.longs(out, yl, in[0].elementType())};
            }

            @Override
            public Value[] backward(Value[] in, Value[] out, Value[] gradOut, Context ctx) {
                int a = axis(node, axisAttr, in[0].rank());
                int[] od = out[0].dims();
                int outer = 1;
                for (int i = 0; i < a; i++) {
                    outer *= od[i];
                }
                int inner = (int) (Value.size(od) / Math.max(1, (long) outer * od[a]));
                float[] dy = gradOut[0].floatData();
                Value[] grads = new Value[in.length];
                int offset = 0;
                for (int k = 0; k < in.length; k++) {
                    int chunk = in[k].dim(a) * inner;
                    float[] dx = new float[in[k].size()];
                    for (int o = 0; o < outer; o++) {
                        System.arraycopy(dy, o * od[a] * inner + offset, dx, o * chunk, chunk);
                    }
                    grads[k] = Value.floats(in[k].dims(), dx);
                    offset += chunk;
                }
                return grads;
            }
        };
    }

    /** Shape, with {@code start}/{@code end} (opset 15). */
    static Kernel shape(OnnxNode node) {
        long startAttr = node.i("start", 0);
        Long endAttr = node.has("end") ? node.i("end", 0) : null;
        return (in, ctx) -> {
            int[] dims = in[0].dims();
            int r = dims.length;
            int s = (int) Math.max(0, Math.min(r, startAttr < 0 ? startAttr + r : startAttr));
            int e = endAttr == null ? r : (int) Math.max(0, Math.min(r, endAttr < 0 ? endAttr + r : endAttr));
            long[] out = new long[Math.max(0, e - s)];
            for (int i = s; i < e; i++) {
                out[i - s] = dims[i];
            }
            return new Value[] {Value.vector(out)};
        };
    }

    /** Cast to the type named by {@code to} (floating and integer types). */
    static Kernel cast(OnnxNode node) {
        int to = (int) node.i("to", 0);
        boolean toFloat = to == Value.FLOAT || to == Value.DOUBLE || to == 10;
        boolean toInt = to == Value.INT64 || to == Value.INT32 || to == Value.BOOL || (to >= 2 && to <= 5) || to == 12
                || to == 13;
        if (!toFloat && !toInt) {
            throw node.unsupported("cannot cast to " + TensorProtos.typeName(to));
        }
        return (in, ctx) -> {
            Value x = in[0];
            if (toFloat) {
                float[] f = x.asFloats().clone();
                if (to == 10) {
                    for (int i = 0; i < f.length; i++) {
                        f[i] = TensorProtos.halfToFloat(TensorProtos.floatToHalf(f[i]));
                    }
                }
                return new Value[] {Value.floats(x.dims(), f, to)};
            }
            long[] l = x.asLongs().clone();
            if (to == Value.BOOL) {
                float[] f = x.isFloating() ? x.floatData() : null;
                for (int i = 0; i < l.length; i++) {
                    l[i] = (f != null ? f[i] != 0 : l[i] != 0) ? 1 : 0;
                }
            }
            return new Value[] {Value.longs(x.dims(), l, to)};
        };
    }

    /** ConstantOfShape: a tensor of the shape in input 0 filled with {@code value} (default float 0). */
    static Kernel constantOfShape(OnnxNode node) {
        AttributeProto valueAttr = node.attribute("value");
        Value fill = valueAttr == null ? Value.floats(new int[] {1}, new float[] {0f})
                : TensorProtos.toValue(valueAttr.getT(), null, node.where());
        return (in, ctx) -> {
            long[] shape = in[0].asLongs();
            int[] dims = new int[shape.length];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = (int) shape[i];
            }
            int n = (int) Value.size(dims);
            if (fill.isFloating()) {
                float[] y = new float[n];
                Arrays.fill(y, fill.floatData()[0]);
                return new Value[] {Value.floats(dims, y, fill.elementType())};
            }
            long[] y = new long[n];
            Arrays.fill(y, fill.longData()[0]);
            return new Value[] {Value.longs(dims, y, fill.elementType())};
        };
    }

    /** The value of a Constant node's attribute. */
    static Value constantValue(OnnxNode node) {
        AttributeProto a;
        if ((a = node.attribute("value")) != null) {
            return TensorProtos.toValue(a.getT(), null, node.where());
        }
        if ((a = node.attribute("value_float")) != null) {
            return Value.floats(new int[0], new float[] {a.getF()});
        }
        if ((a = node.attribute("value_floats")) != null) {
            float[] f = node.floats("value_floats");
            return Value.floats(new int[] {f.length}, f);
        }
        if ((a = node.attribute("value_int")) != null) {
            return Value.longs(new int[0], new long[] {a.getI()});
        }
        if ((a = node.attribute("value_ints")) != null) {
            return Value.vector(node.ints("value_ints", new long[0]));
        }
        throw node.error("Constant without a supported value attribute (value, value_float(s), value_int(s))");
    }
}
