package org.modelbench.onnx.internal.keras;

import static org.modelbench.onnx.internal.OnnxGraphBuilder.f;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.i;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.ints;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.s;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.modelbench.api.InvalidInputException;
import org.modelbench.onnx.internal.OnnxGraphBuilder;

/**
 * A Keras model (layers and weights) as an ONNX graph in tf2onnx's layout: the input is NHWC (as
 * Keras feeds it), transposed once to NCHW; every image value inside is NCHW; a final image output
 * is transposed back to NHWC. Each Keras layer ends in an ONNX node named after it whose output is
 * {@code <layer>:0}, so {@code cutAt: <layer name>} works as for a tf2onnx file. Flatten and Reshape
 * go through NHWC so that the weights of a following Dense layer keep Keras' order.
 *
 * <p>Layers: InputLayer, Conv2D (groups), DepthwiseConv2D, SeparableConv2D, BatchNormalization,
 * ReLU (max_value, negative_slope), Activation and fused activations (linear, relu, relu6, sigmoid,
 * tanh, softmax, swish), ZeroPadding2D, Add, Multiply, Concatenate, MaxPooling2D, AveragePooling2D,
 * GlobalAveragePooling2D, GlobalMaxPooling2D, Dense, Dropout, Flatten, Reshape. Padding {@code same}
 * is TensorFlow's (the extra pixel at the end), written as explicit pads.
 */
public final class KerasToOnnx {
    /** The ONNX opset of the converted graph. */
    public static final int OPSET = 13;

    /** The layer classes the converter maps. */
    public static final Set<String> SUPPORTED = Set.of("InputLayer", "Conv2D", "DepthwiseConv2D", "SeparableConv2D",
            "BatchNormalization", "ReLU", "Activation", "ZeroPadding2D", "Add", "Multiply", "Concatenate",
            "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Dense", "Dropout",
            "SpatialDropout2D", "Flatten", "Reshape");

    private static final Set<String> ACTIVATIONS = Set.of("linear", "relu", "relu6", "sigmoid", "tanh", "softmax",
            "swish", "silu");

    /** A Keras value: its ONNX name and per-sample dims ({@code [C, H, W]} for images, else {@code [F]}). */
    private record Val(String name, int[] dims) {
        boolean image() {
            return dims.length == 3;
        }
    }

    private final KerasModel model;
    private final OnnxGraphBuilder b;
    private final Map<String, Val> values = new HashMap<>();

    private KerasToOnnx(KerasModel model) {
        this.model = model;
        this.b = new OnnxGraphBuilder(model.name(), OPSET);
    }

    /**
     * Why a layer cannot be converted, or null when it can (the class and its options; shapes and
     * weights are checked during conversion).
     */
    public static String unsupportedReason(KerasLayer l) {
        JsonNode c = l.config();
        if (!SUPPORTED.contains(l.className())) {
            return "layer class " + l.className() + " is not supported";
        }
        String format = c.path("data_format").asText("channels_last");
        if (!format.equals("channels_last")) {
            return "data_format " + format + " (expected channels_last)";
        }
        String act = c.path("activation").asText("linear");
        if (c.has("activation") && !ACTIVATIONS.contains(act)) {
            return "activation " + act + " (expected one of " + ACTIVATIONS + ")";
        }
        if (l.className().equals("ReLU")) {
            double threshold = c.path("threshold").asDouble(0);
            double slope = c.path("negative_slope").asDouble(0);
            boolean max = c.path("max_value").isNumber();
            if (threshold != 0) {
                return "ReLU threshold " + threshold + " (expected 0)";
            }
            if (slope != 0 && max) {
                return "ReLU with both negative_slope and max_value";
            }
        }
        if (l.className().equals("BatchNormalization")) {
            JsonNode axis = c.path("axis");
            int a = axis.isArray() && axis.size() == 1 ? axis.get(0).asInt() : axis.asInt(-1);
            if (a != -1 && a != 3 && a != 1) {
                return "BatchNormalization axis " + axis + " (expected the channel axis, -1)";
            }
        }
        return null;
    }

    /** Converts {@code model}; unsupported layers are listed in one error naming the file. */
    public static ModelProto convert(KerasModel model) {
        List<String> problems = new ArrayList<>();
        for (KerasLayer l : model.layers()) {
            String why = unsupportedReason(l);
            if (why != null) {
                problems.add(l.name() + " (" + why + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(model.file() + ": cannot convert layers " + String.join(", ", problems));
        }
        return new KerasToOnnx(model).run();
    }

    private ModelProto run() {
        for (KerasLayer l : model.layers()) {
            try {
                values.put(l.name(), layer(l));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new InvalidInputException(model.file() + ": layer " + l.name() + " (" + l.className() + "): "
                        + e.getMessage());
            }
        }
        Val out = values.get(model.outputs().get(0));
        if (out.image()) {
            String t = b.node("Transpose", "output/to_nhwc", List.of(out.name()), ints("perm", 0, 2, 3, 1));
            b.output(t, -1, out.dims()[1], out.dims()[2], out.dims()[0]);
        } else {
            b.output(out.name(), -1, out.dims()[0]);
        }
        return b.build("modelbench keras import");
    }

    private Val in(KerasLayer l, int index) {
        if (index >= l.inbound().size()) {
            throw new IllegalArgumentException("expected " + (index + 1) + " input(s), got " + l.inbound().size());
        }
        return values.get(l.inbound().get(index));
    }

    private Val layer(KerasLayer l) {
        JsonNode c = l.config();
        String n = l.name();
        return switch (l.className()) {
            case "InputLayer" -> {
                int[] s = model.inputShape();
                String x = b.input(n, -1, s[0], s[1], s[2]);
                yield new Val(b.node("Transpose", n + "/to_nchw", List.of(x), ints("perm", 0, 3, 1, 2)),
                        new int[] {s[2], s[0], s[1]});
            }
            case "Conv2D" -> {
                Val x = image(l, in(l, 0));
                int groups = c.path("groups").asInt(1);
                KerasWeight k = weight(l, "kernel", 4);
                int filters = c.path("filters").asInt(k.shape()[3]);
                check(k, k.shape()[2] * groups == x.dims()[0] && k.shape()[3] == filters, "[kh, kw, "
                        + x.dims()[0] / Math.max(1, groups) + ", " + filters + "]");
                yield activation(l, conv(n + (fusedActivation(c) ? "/conv" : ""), x, convKernel(k), k.shape()[0],
                        k.shape()[1], bias(l, filters), pair(c, "strides"), pair(c, "dilation_rate"),
                        c.path("padding").asText("valid"), groups));
            }
            case "DepthwiseConv2D" -> {
                Val x = image(l, in(l, 0));
                KerasWeight k = weight(l, "depthwise_kernel", 4);
                int channels = x.dims()[0];
                check(k, k.shape()[2] == channels, "[kh, kw, " + channels + ", depth_multiplier]");
                int out = channels * k.shape()[3];
                yield activation(l, conv(n + (fusedActivation(c) ? "/conv" : ""), x, depthwiseKernel(k), k.shape()[0],
                        k.shape()[1], bias(l, out), pair(c, "strides"), pair(c, "dilation_rate"),
                        c.path("padding").asText("valid"), channels));
            }
            case "SeparableConv2D" -> {
                Val x = image(l, in(l, 0));
                KerasWeight d = weight(l, "depthwise_kernel", 4);
                KerasWeight p = weight(l, "pointwise_kernel", 4);
                int channels = x.dims()[0];
                check(d, d.shape()[2] == channels, "[kh, kw, " + channels + ", depth_multiplier]");
                check(p, p.shape()[0] == 1 && p.shape()[1] == 1 && p.shape()[2] == channels * d.shape()[3],
                        "[1, 1, " + channels * d.shape()[3] + ", filters]");
                Val mid = conv(n + "/depthwise", x, depthwiseKernel(d), d.shape()[0], d.shape()[1], null,
                        pair(c, "strides"), pair(c, "dilation_rate"), c.path("padding").asText("valid"), channels);
                yield activation(l, conv(n + (fusedActivation(c) ? "/conv" : ""), mid, convKernel(p), 1, 1,
                        bias(l, p.shape()[3]), new int[] {1, 1}, new int[] {1, 1}, "valid", 1));
            }
            case "BatchNormalization" -> {
                Val x = in(l, 0);
                int ch = x.dims()[0];
                float[] gamma = c.path("scale").asBoolean(true) ? vector(l, "gamma", ch) : filled(ch, 1f);
                float[] beta = c.path("center").asBoolean(true) ? vector(l, "beta", ch) : filled(ch, 0f);
                float[] mean = vector(l, "moving_mean", ch);
                float[] var = vector(l, "moving_variance", ch);
                yield new Val(b.node("BatchNormalization", n, List.of(x.name(), b.floats(n + "/gamma", new int[] {ch},
                        gamma), b.floats(n + "/beta", new int[] {ch}, beta), b.floats(n + "/moving_mean",
                        new int[] {ch}, mean), b.floats(n + "/moving_variance", new int[] {ch}, var)),
                        f("epsilon", (float) c.path("epsilon").asDouble(1e-3))), x.dims());
            }
            case "ReLU" -> {
                Val x = in(l, 0);
                double slope = c.path("negative_slope").asDouble(0);
                if (c.path("max_value").isNumber()) {
                    yield clip(n, x, 0f, (float) c.path("max_value").asDouble());
                }
                yield slope != 0 ? new Val(b.node("LeakyRelu", n, List.of(x.name()), f("alpha", (float) slope)), x.dims())
                        : new Val(b.node("Relu", n, List.of(x.name())), x.dims());
            }
            case "Activation" -> applyActivation(n, c.path("activation").asText("linear"), in(l, 0), true);
            case "ZeroPadding2D" -> {
                Val x = image(l, in(l, 0));
                int[] p = padding(c.path("padding"));
                int[] d = x.dims();
                String pads = b.longs(n + "/pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3]);
                yield new Val(b.node("Pad", n, List.of(x.name(), pads), s("mode", "constant")),
                        new int[] {d[0], d[1] + p[0] + p[1], d[2] + p[2] + p[3]});
            }
            case "Add", "Multiply" -> {
                if (l.inbound().size() < 2) {
                    throw new IllegalArgumentException("expected at least 2 inputs, got " + l.inbound().size());
                }
                String op = l.className().equals("Add") ? "Add" : "Mul";
                Val acc = in(l, 0);
                for (int k = 1; k < l.inbound().size(); k++) {
                    Val y = in(l, k);
                    if (!Arrays.equals(acc.dims(), y.dims())) {
                        throw new IllegalArgumentException("inputs of shapes " + Arrays.toString(acc.dims()) + " and "
                                + Arrays.toString(y.dims()) + " (NCHW) differ");
                    }
                    acc = new Val(b.node(op, k == l.inbound().size() - 1 ? n : n + "/" + k, List.of(acc.name(),
                            y.name())), acc.dims());
                }
                yield acc;
            }
            case "Concatenate" -> concatenate(l);
            case "MaxPooling2D", "AveragePooling2D" -> {
                Val x = image(l, in(l, 0));
                int[] k = pair(c, "pool_size");
                int[] st = c.path("strides").isNull() || !c.has("strides") ? k : pair(c, "strides");
                int[] pads = pads(x, k, st, new int[] {1, 1}, c.path("padding").asText("valid"));
                int[] out = outDims(x, x.dims()[0], k, st, new int[] {1, 1}, pads);
                String node = l.className().equals("MaxPooling2D")
                        ? b.node("MaxPool", n, List.of(x.name()), ints("kernel_shape", k[0], k[1]),
                        ints("strides", st[0], st[1]), ints("pads", pads[0], pads[1], pads[2], pads[3]))
                        : b.node("AveragePool", n, List.of(x.name()), ints("kernel_shape", k[0], k[1]),
                        ints("strides", st[0], st[1]), ints("pads", pads[0], pads[1], pads[2], pads[3]),
                        i("count_include_pad", 0));
                yield new Val(node, out);
            }
            case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
                Val x = image(l, in(l, 0));
                String op = l.className().startsWith("GlobalAverage") ? "GlobalAveragePool" : "GlobalMaxPool";
                int ch = x.dims()[0];
                if (c.path("keepdims").asBoolean(false)) {
                    yield new Val(b.node(op, n, List.of(x.name())), new int[] {ch, 1, 1});
                }
                String pooled = b.node(op, n + "/pool", List.of(x.name()));
                yield new Val(b.node("Flatten", n, List.of(pooled), i("axis", 1)), new int[] {ch});
            }
            case "Dense" -> {
                Val x = in(l, 0);
                if (x.dims().length != 1) {
                    throw new IllegalArgumentException("Dense on a per-sample shape of rank " + x.dims().length
                            + " is not supported; put a Flatten or a global pooling before it");
                }
                KerasWeight k = weight(l, "kernel", 2);
                int units = k.shape()[1];
                check(k, k.shape()[0] == x.dims()[0], "[" + x.dims()[0] + ", units]");
                List<String> inputs = new ArrayList<>(List.of(x.name(), b.floats(n + "/kernel", k.shape(), k.data())));
                float[] bias = bias(l, units);
                if (bias != null) {
                    inputs.add(b.floats(n + "/bias", new int[] {units}, bias));
                }
                Val y = new Val(b.node("Gemm", n + (fusedActivation(c) ? "/dense" : ""), inputs), new int[] {units});
                yield activation(l, y);
            }
            case "Dropout", "SpatialDropout2D" -> new Val(b.node("Identity", n, List.of(in(l, 0).name())), in(l, 0).dims());
            case "Flatten" -> {
                Val x = in(l, 0);
                if (!x.image()) {
                    yield new Val(b.node("Flatten", n, List.of(x.name()), i("axis", 1)), new int[] {size(x.dims())});
                }
                String t = b.node("Transpose", n + "/to_nhwc", List.of(x.name()), ints("perm", 0, 2, 3, 1));
                yield new Val(b.node("Flatten", n, List.of(t), i("axis", 1)), new int[] {size(x.dims())});
            }
            case "Reshape" -> reshape(l);
            default -> throw new IllegalArgumentException("layer class " + l.className() + " is not supported");
        };
    }

    private Val image(KerasLayer l, Val x) {
        if (!x.image()) {
            throw new IllegalArgumentException("expected an image input (height, width, channels), got per-sample dims "
                    + Arrays.toString(x.dims()));
        }
        return x;
    }

    private static boolean fusedActivation(JsonNode c) {
        return !c.path("activation").asText("linear").equals("linear");
    }

    private Val activation(KerasLayer l, Val y) {
        String act = l.config().path("activation").asText("linear");
        return act.equals("linear") ? y : applyActivation(l.name(), act, y, false);
    }

    private Val applyActivation(String n, String act, Val x, boolean identityForLinear) {
        return switch (act) {
            case "linear" -> identityForLinear ? new Val(b.node("Identity", n, List.of(x.name())), x.dims()) : x;
            case "relu" -> new Val(b.node("Relu", n, List.of(x.name())), x.dims());
            case "relu6" -> clip(n, x, 0f, 6f);
            case "sigmoid" -> new Val(b.node("Sigmoid", n, List.of(x.name())), x.dims());
            case "tanh" -> new Val(b.node("Tanh", n, List.of(x.name())), x.dims());
            case "swish", "silu" -> new Val(b.node("Mul", n, List.of(x.name(), b.node("Sigmoid", n + "/sigmoid",
                    List.of(x.name())))), x.dims());
            case "softmax" -> {
                if (x.image()) {
                    throw new IllegalArgumentException("softmax over an image value is not supported");
                }
                yield new Val(b.node("Softmax", n, List.of(x.name()), i("axis", -1)), x.dims());
            }
            default -> throw new IllegalArgumentException("activation " + act + " is not supported");
        };
    }

    private Val clip(String n, Val x, float min, float max) {
        return new Val(b.node("Clip", n, List.of(x.name(), b.floats(n + "/min", new int[0], new float[] {min}),
                b.floats(n + "/max", new int[0], new float[] {max}))), x.dims());
    }

    private Val conv(String name, Val x, float[] w, int kh, int kw, float[] bias, int[] strides, int[] dilations,
                     String padding, int groups) {
        int out = w.length / (kh * kw * (x.dims()[0] / groups));
        int[] k = {kh, kw};
        int[] pads = pads(x, k, strides, dilations, padding);
        List<String> inputs = new ArrayList<>(List.of(x.name(), b.floats(name + "/kernel",
                new int[] {out, x.dims()[0] / groups, kh, kw}, w)));
        if (bias != null) {
            inputs.add(b.floats(name + "/bias", new int[] {out}, bias));
        }
        String y = b.node("Conv", name, inputs, ints("kernel_shape", kh, kw), ints("strides", strides[0], strides[1]),
                ints("dilations", dilations[0], dilations[1]), ints("pads", pads[0], pads[1], pads[2], pads[3]),
                i("group", groups));
        return new Val(y, outDims(x, out, k, strides, dilations, pads));
    }

    /** ONNX pads {@code [top, left, bottom, right]}: none for valid, TensorFlow's for same. */
    private static int[] pads(Val x, int[] k, int[] s, int[] d, String padding) {
        switch (padding.toLowerCase(Locale.ROOT)) {
            case "valid":
                return new int[4];
            case "same": {
                int[] p = new int[4];
                for (int a = 0; a < 2; a++) {
                    int in = x.dims()[a + 1];
                    int out = (in + s[a] - 1) / s[a];
                    int total = Math.max(0, (out - 1) * s[a] + (k[a] - 1) * d[a] + 1 - in);
                    p[a] = total / 2;
                    p[a + 2] = total - total / 2;
                }
                return p;
            }
            default:
                throw new IllegalArgumentException("padding " + padding + " (expected valid or same)");
        }
    }

    private static int[] outDims(Val x, int channels, int[] k, int[] s, int[] d, int[] pads) {
        int h = (x.dims()[1] + pads[0] + pads[2] - d[0] * (k[0] - 1) - 1) / s[0] + 1;
        int w = (x.dims()[2] + pads[1] + pads[3] - d[1] * (k[1] - 1) - 1) / s[1] + 1;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("the window " + Arrays.toString(k) + " does not fit the input "
                    + Arrays.toString(x.dims()) + " (CHW)");
        }
        return new int[] {channels, h, w};
    }

    /** Keras {@code [kh, kw, in, out]} to ONNX {@code [out, in, kh, kw]}. */
    private static float[] convKernel(KerasWeight k) {
        int kh = k.shape()[0];
        int kw = k.shape()[1];
        int in = k.shape()[2];
        int out = k.shape()[3];
        float[] w = new float[k.size()];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int c = 0; c < in; c++) {
                    for (int o = 0; o < out; o++) {
                        w[((o * in + c) * kh + y) * kw + x] = k.data()[((y * kw + x) * in + c) * out + o];
                    }
                }
            }
        }
        return w;
    }

    /** Keras depthwise {@code [kh, kw, in, m]} to ONNX {@code [in * m, 1, kh, kw]} (output channel c * m + j). */
    private static float[] depthwiseKernel(KerasWeight k) {
        int kh = k.shape()[0];
        int kw = k.shape()[1];
        int in = k.shape()[2];
        int m = k.shape()[3];
        float[] w = new float[k.size()];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int c = 0; c < in; c++) {
                    for (int j = 0; j < m; j++) {
                        w[((c * m + j) * kh + y) * kw + x] = k.data()[((y * kw + x) * in + c) * m + j];
                    }
                }
            }
        }
        return w;
    }

    private Val concatenate(KerasLayer l) {
        List<Val> ins = new ArrayList<>();
        for (int k = 0; k < l.inbound().size(); k++) {
            ins.add(in(l, k));
        }
        Val first = ins.get(0);
        int rank = first.dims().length + 1;
        int axis = l.config().path("axis").asInt(-1);
        if (axis < 0) {
            axis += rank;
        }
        if (axis < 1 || axis >= rank) {
            throw new IllegalArgumentException("axis " + l.config().path("axis") + " outside the per-sample axes");
        }
        // Keras channels_last axis -> NCHW axis: 3 (channels) -> 1, 1 (height) -> 2, 2 (width) -> 3
        int onnxAxis = first.image() ? (axis == 3 ? 1 : axis + 1) : axis;
        int dimIndex = onnxAxis - 1;
        int[] dims = first.dims().clone();
        dims[dimIndex] = 0;
        List<String> names = new ArrayList<>();
        for (Val v : ins) {
            if (v.dims().length != first.dims().length) {
                throw new IllegalArgumentException("inputs of different ranks");
            }
            for (int a = 0; a < dims.length; a++) {
                if (a != dimIndex && v.dims()[a] != first.dims()[a]) {
                    throw new IllegalArgumentException("inputs " + Arrays.toString(first.dims()) + " and "
                            + Arrays.toString(v.dims()) + " (NCHW) differ outside the concatenation axis");
                }
            }
            dims[dimIndex] += v.dims()[dimIndex];
            names.add(v.name());
        }
        return new Val(b.node("Concat", l.name(), names, i("axis", onnxAxis)), dims);
    }

    private Val reshape(KerasLayer l) {
        Val x = in(l, 0);
        JsonNode t = l.config().path("target_shape");
        if (!t.isArray() || t.isEmpty() || t.size() > 3) {
            throw new IllegalArgumentException("target_shape " + t + " (expected 1 to 3 sizes)");
        }
        int total = size(x.dims());
        int[] target = new int[t.size()];
        int unknown = -1;
        int known = 1;
        for (int a = 0; a < target.length; a++) {
            target[a] = t.get(a).asInt();
            if (target[a] == -1 && unknown < 0) {
                unknown = a;
            } else if (target[a] < 1) {
                throw new IllegalArgumentException("target_shape " + t);
            } else {
                known *= target[a];
            }
        }
        if (unknown >= 0) {
            target[unknown] = total / known;
            known *= target[unknown];
        }
        if (known != total || target.length == 2) {
            throw new IllegalArgumentException("target_shape " + t + " for " + total + " values per sample (supported: "
                    + "1 or 3 sizes with the same number of values)");
        }
        String src = x.image() ? b.node("Transpose", l.name() + "/to_nhwc", List.of(x.name()), ints("perm", 0, 2, 3, 1))
                : x.name();
        long[] shape = new long[target.length + 1];
        for (int a = 0; a < target.length; a++) {
            shape[a + 1] = target[a];
        }
        String r = b.node("Reshape", target.length == 3 ? l.name() + "/nhwc" : l.name(), List.of(src,
                b.longs(l.name() + "/shape", shape)));
        if (target.length == 1) {
            return new Val(r, target);
        }
        return new Val(b.node("Transpose", l.name(), List.of(r), ints("perm", 0, 3, 1, 2)),
                new int[] {target[2], target[0], target[1]});
    }

    private static int[] padding(JsonNode p) {
        if (p.isInt()) {
            return new int[] {p.asInt(), p.asInt(), p.asInt(), p.asInt()};
        }
        if (p.isArray() && p.size() == 2 && p.get(0).isInt()) {
            return new int[] {p.get(0).asInt(), p.get(0).asInt(), p.get(1).asInt(), p.get(1).asInt()};
        }
        if (p.isArray() && p.size() == 2 && p.get(0).isArray() && p.get(1).isArray()) {
            int[] r = {p.get(0).path(0).asInt(-1), p.get(0).path(1).asInt(-1), p.get(1).path(0).asInt(-1),
                    p.get(1).path(1).asInt(-1)};
            for (int v : r) {
                if (v < 0 || v > 1 << 12) {
                    throw new IllegalArgumentException("padding " + p + " (expected sizes in [0, 4096])");
                }
            }
            return r;
        }
        throw new IllegalArgumentException("padding " + p + " (expected n, [h, w] or [[top, bottom], [left, right]])");
    }

    private static int[] pair(JsonNode c, String key) {
        JsonNode v = c.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return new int[] {1, 1};
        }
        int a = v.isArray() ? v.path(0).asInt(-1) : v.asInt(-1);
        int bb = v.isArray() ? v.path(1).asInt(-1) : a;
        if (a < 1 || bb < 1 || a > 1 << 12 || bb > 1 << 12) {
            throw new IllegalArgumentException(key + " " + v + " (expected sizes in [1, 4096])");
        }
        return new int[] {a, bb};
    }

    /** The weight {@code <layer>/<field>}, checked to have {@code rank} axes. */
    private KerasWeight weight(KerasLayer l, String field, int rank) {
        KerasWeight w = find(l, field);
        if (w == null) {
            throw new IllegalArgumentException("no weight " + l.name() + "/" + field + " in the file");
        }
        if (w.shape().length != rank) {
            throw new IllegalArgumentException("weight " + w.name() + " has shape " + Arrays.toString(w.shape())
                    + "; expected " + rank + " axes");
        }
        return w;
    }

    private KerasWeight find(KerasLayer l, String field) {
        KerasWeight w = findNamed(l, field);
        if (w == null && field.equals("depthwise_kernel") && l.className().equals("DepthwiseConv2D")) {
            w = findNamed(l, "kernel"); // Keras 3 names the variable kernel
        }
        return w;
    }

    private KerasWeight findNamed(KerasLayer l, String field) {
        KerasWeight w = model.weights().get(l.name() + "/" + field);
        if (w == null) {
            w = model.weights().get(l.name() + "/" + field + ":0");
        }
        if (w == null) {
            String suffix = "/" + l.name() + "/" + field;
            for (KerasWeight candidate : model.weights().values()) {
                if (candidate.name().endsWith(suffix) || candidate.name().endsWith(suffix + ":0")) {
                    w = candidate;
                }
            }
        }
        return w;
    }

    private float[] bias(KerasLayer l, int n) {
        if (!l.config().path("use_bias").asBoolean(true)) {
            return null;
        }
        return vector(l, "bias", n);
    }

    private float[] vector(KerasLayer l, String field, int n) {
        KerasWeight w = weight(l, field, 1);
        check(w, w.shape()[0] == n, "[" + n + "]");
        return w.data();
    }

    private static void check(KerasWeight w, boolean ok, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("weight " + w.name() + " has shape " + Arrays.toString(w.shape())
                    + "; expected " + expected);
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static int size(int[] dims) {
        long s = 1;
        for (int d : dims) {
            s *= d;
        }
        return Math.toIntExact(s);
    }

    /** The number of weight values per layer, by layer name, in model order. */
    public static Map<String, Long> parameters(KerasModel model) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (KerasLayer l : model.layers()) {
            long n = 0;
            for (KerasWeight w : model.weights().values()) {
                if (w.name().startsWith(l.name() + "/") || w.name().contains("/" + l.name() + "/")) {
                    n += w.size();
                }
            }
            out.put(l.name(), n);
        }
        return out;
    }
}
