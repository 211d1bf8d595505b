package org.modelbench.onnx.internal;

import static org.modelbench.onnx.internal.OnnxGraphBuilder.f;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.i;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.ints;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Layer;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.Activation;
import org.modelbench.engine.config.BatchNormConfig;
import org.modelbench.engine.config.Conv1DConfig;
import org.modelbench.engine.config.Conv2DConfig;
import org.modelbench.engine.config.DenseConfig;
import org.modelbench.engine.config.IntPair;
import org.modelbench.engine.config.LeakyReluConfig;
import org.modelbench.engine.config.Padding;
import org.modelbench.engine.config.Pool1DConfig;
import org.modelbench.engine.config.Pool2DConfig;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.StatefulLayer;

/**
 * Exports an engine {@link Network} to an ONNX model that ONNX Runtime runs with the same outputs
 * (inference semantics: dropout is the identity, batch normalisation uses its moving statistics).
 *
 * <p>The input is {@code input: FLOAT [N, C, H, W]} or {@code [N, C, L]} (the network's per-sample
 * shape with a symbolic batch), the output {@code output}. Engine layers map to ONNX operators: dense
 * to Gemm, conv2d and conv1d to Conv (with groups, dilations and the padding resolved to explicit
 * pads; 1-d with one spatial axis), maxpool2d/avgpool2d and maxpool1d/avgpool1d to
 * MaxPool/AveragePool, global-avgpool to GlobalAveragePool + Flatten, flatten to Flatten,
 * batchnorm to BatchNormalization, activations to their operators, add/concat to Add/Concat, and
 * an {@link OnnxGraphLayer} to the nodes of its imported graph (weights as trained). Layer configs
 * come from {@code configs} (node name to config record) or from the network's nodes.
 */
public final class OnnxExporter {
    private OnnxExporter() {
    }

    /** Exports {@code network}; {@code opset} 13 unless an imported base needs its own. */
    public static ModelProto export(Network network, Map<String, Record> configs) {
        int opset = 13;
        for (Network.Node n : network.nodes()) {
            if (n.layer() instanceof OnnxGraphLayer g) {
                opset = Math.max(opset, g.graph().nodes().stream().mapToInt(x -> x.source().opset()).max().orElse(13));
            }
        }
        OnnxGraphBuilder b = new OnnxGraphBuilder(network.name(), opset);
        int[] inputDims = network.inputShape().withBatch(1).dims();
        inputDims[0] = -1;
        b.input("input", inputDims);
        Map<String, String> values = new HashMap<>();
        values.put(Network.INPUT, "input");
        String last = "input";
        for (Network.Node node : network.nodes()) {
            List<String> in = node.inputs().stream().map(values::get).toList();
            Record config = configs.getOrDefault(node.name(), node.config());
            last = emit(b, node.name(), node.layer(), config, in);
            values.put(node.name(), last);
        }
        b.output(b.node("Identity", "output", List.of(last)));
        return b.build("modelbench");
    }

    private static String emit(OnnxGraphBuilder b, String name, Layer layer, Record config, List<String> in) {
        String x = in.get(0);
        if (layer instanceof OnnxGraphLayer g) {
            return emitGraph(b, name, g, x);
        }
        return switch (layer.type()) {
            case "dense" -> {
                DenseConfig c = (DenseConfig) require(config, DenseConfig.class, name);
                if (layer.inputShape().rank() != 1) {
                    throw new InvalidInputException("cannot export dense layer '" + name + "' on inputs of "
                            + layer.inputShape() + "; add a flatten layer first");
                }
                List<String> inputs = c.useBias() ? List.of(x, weight(b, name, layer, "kernel"), weight(b, name, layer, "bias"))
                        : List.of(x, weight(b, name, layer, "kernel"));
                yield activation(b, name, c.activation(), b.node("Gemm", name, inputs));
            }
            case "conv2d" -> {
                Conv2DConfig c = (Conv2DConfig) require(config, Conv2DConfig.class, name);
                IntPair k = c.kernelSize();
                IntPair s = c.strides();
                IntPair d = c.dilations();
                long[] pads = pads(c.paddingRule(), layer.inputShape(), k, s, d);
                List<String> inputs = c.useBias() ? List.of(x, weight(b, name, layer, "kernel"), weight(b, name, layer, "bias"))
                        : List.of(x, weight(b, name, layer, "kernel"));
                yield activation(b, name, c.activation(), b.node("Conv", name, inputs, ints("kernel_shape", k.h(), k.w()),
                        ints("strides", s.h(), s.w()), ints("dilations", d.h(), d.w()), i("group", c.groups()),
                        ints("pads", pads)));
            }
            case "maxpool2d", "avgpool2d" -> {
                Pool2DConfig c = (Pool2DConfig) require(config, Pool2DConfig.class, name);
                IntPair k = c.poolSize();
                IntPair s = c.strides();
                long[] pads = pads(c.paddingRule(), layer.inputShape(), k, s, new IntPair(1, 1));
                yield layer.type().equals("maxpool2d")
                        ? b.node("MaxPool", name, List.of(x), ints("kernel_shape", k.h(), k.w()), ints("strides", s.h(), s.w()),
                        ints("pads", pads))
                        : b.node("AveragePool", name, List.of(x), ints("kernel_shape", k.h(), k.w()),
                        ints("strides", s.h(), s.w()), ints("pads", pads), i("count_include_pad", 0));
            }
            case "conv1d" -> {
                Conv1DConfig c = (Conv1DConfig) require(config, Conv1DConfig.class, name);
                List<String> inputs = c.useBias() ? List.of(x, weight(b, name, layer, "kernel"), weight(b, name, layer, "bias"))
                        : List.of(x, weight(b, name, layer, "kernel"));
                yield activation(b, name, c.activation(), b.node("Conv", name, inputs, ints("kernel_shape", c.kernel()),
                        ints("strides", c.stride()), ints("dilations", c.dilation()), i("group", c.groups()),
                        ints("pads", pads1d(c.paddingRule(), layer.inputShape(), c.kernel(), c.stride(), c.dilation()))));
            }
            case "maxpool1d", "avgpool1d" -> {
                Pool1DConfig c = (Pool1DConfig) require(config, Pool1DConfig.class, name);
                long[] pads = pads1d(c.paddingRule(), layer.inputShape(), c.pool(), c.stride(), 1);
                yield layer.type().equals("maxpool1d")
                        ? b.node("MaxPool", name, List.of(x), ints("kernel_shape", c.pool()), ints("strides", c.stride()),
                        ints("pads", pads))
                        : b.node("AveragePool", name, List.of(x), ints("kernel_shape", c.pool()),
                        ints("strides", c.stride()), ints("pads", pads), i("count_include_pad", 0));
            }
            case "global-avgpool" -> b.node("Flatten", name + "/flatten",
                    List.of(b.node("GlobalAveragePool", name, List.of(x))), i("axis", 1));
            case "flatten" -> b.node("Flatten", name, List.of(x), i("axis", 1));
            case "dropout" -> b.node("Identity", name, List.of(x));
            case "relu" -> activation(b, name, Activation.RELU, x);
            case "sigmoid" -> activation(b, name, Activation.SIGMOID, x);
            case "tanh" -> activation(b, name, Activation.TANH, x);
            case "softmax" -> activation(b, name, Activation.SOFTMAX, x);
            case "leaky-relu" -> b.node("LeakyRelu", name, List.of(x),
                    f("alpha", ((LeakyReluConfig) require(config, LeakyReluConfig.class, name)).alpha()));
            case "batchnorm" -> {
                BatchNormConfig c = (BatchNormConfig) require(config, BatchNormConfig.class, name);
                Map<String, Tensor> state = ((StatefulLayer) layer).state();
                yield b.node("BatchNormalization", name, List.of(x, weight(b, name, layer, "gamma"),
                        weight(b, name, layer, "beta"), tensor(b, name + "/moving_mean", state.get("moving_mean")),
                        tensor(b, name + "/moving_variance", state.get("moving_variance"))), f("epsilon", c.epsilon()));
            }
            case "add" -> b.node("Add", name, in.size() == 2 ? in : in.subList(0, 2));
            case "concat" -> b.node("Concat", name, in, i("axis", 1));
            default -> throw new InvalidInputException("cannot export layer '" + name + "' of type " + layer.type()
                    + " to ONNX");
        };
    }

    private static Record require(Record config, Class<? extends Record> type, String name) {
        if (!type.isInstance(config)) {
            throw new InvalidInputException("cannot export layer '" + name + "': its " + type.getSimpleName()
                    + " is not known (build the network from layer specs)");
        }
        return config;
    }

    private static String activation(OnnxGraphBuilder b, String name, Activation a, String x) {
        return switch (a) {
            case LINEAR -> x;
            case RELU -> b.node("Relu", name + "/relu", List.of(x));
            case LEAKY_RELU -> b.node("LeakyRelu", name + "/leaky_relu", List.of(x), f("alpha", 0.3f));
            case SIGMOID -> b.node("Sigmoid", name + "/sigmoid", List.of(x));
            case TANH -> b.node("Tanh", name + "/tanh", List.of(x));
            case SOFTMAX -> b.node("Softmax", name + "/softmax", List.of(x), i("axis", 1));
        };
    }

    /** ONNX pads {@code [top, left, bottom, right]} for an engine padding rule on a CHW input. */
    private static long[] pads(Padding p, Shape chw, IntPair k, IntPair s, IntPair d) {
        if (p.mode() == Padding.Mode.SAME) {
            int h = chw.dim(1);
            int w = chw.dim(2);
            int oh = (h + s.h() - 1) / s.h();
            int ow = (w + s.w() - 1) / s.w();
            int ph = Math.max(0, (oh - 1) * s.h() + d.h() * (k.h() - 1) + 1 - h);
            int pw = Math.max(0, (ow - 1) * s.w() + d.w() * (k.w() - 1) + 1 - w);
            return new long[] {ph / 2, pw / 2, ph - ph / 2, pw - pw / 2};
        }
        return new long[] {p.top(), p.left(), p.bottom(), p.right()};
    }

    /** ONNX pads {@code [left, right]} for an engine padding rule on a {@code [C, L]} input. */
    private static long[] pads1d(Padding p, Shape cl, int k, int s, int d) {
        if (p.mode() == Padding.Mode.SAME) {
            int length = cl.dim(1);
            int out = (length + s - 1) / s;
            int total = Math.max(0, (out - 1) * s + d * (k - 1) + 1 - length);
            return new long[] {total / 2, total - total / 2};
        }
        return new long[] {p.left(), p.right()};
    }

    private static String weight(OnnxGraphBuilder b, String node, Layer layer, String parameter) {
        for (Parameter p : layer.parameters()) {
            if (p.name().equals(parameter)) {
                return tensor(b, node + "/" + parameter, p.value());
            }
        }
        throw new InvalidInputException("cannot export layer '" + node + "': it has no parameter '" + parameter + "'");
    }

    private static String tensor(OnnxGraphBuilder b, String name, Tensor t) {
        return b.floats(name, t.shape().dims(), t.data().clone());
    }

    /** Copies an imported graph's nodes (up to its output value) with their current weights. */
    private static String emitGraph(OnnxGraphBuilder b, String prefix, OnnxGraphLayer layer, String x) {
        NativeGraph g = layer.graph();
        String feed = x;
        if (layer.nhwc()) {
            feed = b.node("Transpose", prefix + "/to_nhwc", List.of(x), ints("perm", 0, 2, 3, 1));
        }
        Map<String, String> names = new HashMap<>();
        names.put(layer.inputValue(), feed);
        List<NativeGraph.Node> nodes = g.plan(List.of(layer.outputValue()), java.util.Set.of(layer.inputValue()));
        for (NativeGraph.Node n : nodes) {
            for (String v : n.inputs()) {
                if (v.isEmpty() || names.containsKey(v)) {
                    continue;
                }
                Parameter p = g.parameters().get(v);
                if (p != null) {
                    names.put(v, tensor(b, prefix + "/" + v, p.value()));
                } else if (g.constants().containsKey(v)) {
                    names.put(v, b.initializer(prefix + "/" + v, g.constants().get(v)));
                }
            }
            NodeProto.Builder copy = n.source().proto().toBuilder().clearInput().clearOutput()
                    .setName(b.unique(prefix + "/" + n.name()));
            for (String v : n.inputs()) {
                copy.addInput(v.isEmpty() ? "" : names.get(v));
            }
            for (String v : n.outputs()) {
                String renamed = v.isEmpty() ? "" : b.unique(prefix + "/" + v);
                names.put(v, renamed);
                copy.addOutput(renamed);
            }
            b.raw(copy.build());
        }
        String out = names.get(layer.outputValue());
        if (out == null) {
            throw new InvalidInputException(g.where() + ": value '" + layer.outputValue() + "' is not computed by a node");
        }
        return out;
    }
}
