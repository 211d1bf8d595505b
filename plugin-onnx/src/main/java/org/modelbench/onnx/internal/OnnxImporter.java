package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Parameter;

/**
 * Converts an ONNX graph into a {@link NativeGraph}.
 *
 * <ol>
 *   <li>Every node must be of a supported operator; otherwise one error lists all unsupported
 *       nodes.</li>
 *   <li>Nodes whose inputs are all constant (initializers, Constant nodes, or earlier folded
 *       nodes: the Shape/Gather/Unsqueeze/Concat/Slice/Cast/ConstantOfShape chains exporters emit
 *       to compute pads and shapes) are evaluated once and replaced by their values.</li>
 *   <li>A floating-point constant feeding a learnable input slot (Conv kernel and bias, Gemm B and
 *       C, MatMul B, BatchNormalization scale and bias, an Add operand) becomes a {@link Parameter}
 *       named after it; the rest stay constants.</li>
 * </ol>
 * Every node input must be a graph input, an initializer or an output of an earlier node; a
 * missing one is reported with the node's name.
 */
public final class OnnxImporter {
    /** The opsets the importer is tested against (tf2onnx emits 11 to 17). */
    public static final int MIN_OPSET = 1;
    public static final int MAX_OPSET = 18;

    private OnnxImporter() {
    }

    /** Imports a model file. */
    public static NativeGraph importModel(OnnxModelFile model) {
        String where = model.path().toString();
        if (model.opset() < MIN_OPSET || model.opset() > MAX_OPSET) {
            throw new UnsupportedFeatureException(where + ": opset " + model.opset() + " is outside the supported range "
                    + MIN_OPSET + ".." + MAX_OPSET);
        }
        GraphProto g = model.graph();
        List<String> unsupported = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (!Kernels.supports(n)) {
                unsupported.add(OnnxModelFile.nodeName(n) + " (" + OnnxModelFile.operatorName(n) + ")");
            }
        }
        if (!unsupported.isEmpty()) {
            throw new UnsupportedFeatureException(where + ": unsupported operators in " + unsupported.size() + " node(s): "
                    + String.join(", ", unsupported.subList(0, Math.min(20, unsupported.size())))
                    + (unsupported.size() > 20 ? ", ..." : ""));
        }
        Map<String, Value> constants = new LinkedHashMap<>();
        Set<String> fromInitializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), TensorProtos.toValue(t, model.directory(), where + ": initializer"));
            fromInitializers.add(t.getName());
        }
        List<OnnxModelFile.Port> inputs = model.inputs();
        Set<String> dynamic = new HashSet<>();
        inputs.forEach(p -> dynamic.add(p.name()));
        List<NativeGraph.Node> nodes = new ArrayList<>();
        Map<String, Boolean> learnable = new HashMap<>();
        int index = 0;
        for (NodeProto proto : g.getNodeList()) {
            OnnxNode node = new OnnxNode(proto.getName().isEmpty()
                    ? proto.toBuilder().setName(proto.getOpType() + "_" + index).build() : proto, model.opset(), where);
            index++;
            boolean allConstant = true;
            for (String in : proto.getInputList()) {
                if (in.isEmpty()) {
                    continue;
                }
                if (dynamic.contains(in)) {
                    allConstant = false;
                } else if (!constants.containsKey(in)) {
                    throw node.error("input '" + in + "' is not a graph input, an initializer or an output of an "
                            + "earlier node (missing initializer?)");
                }
            }
            Kernel kernel = Kernels.create(node);
            if (allConstant) {
                Value[] in = new Value[proto.getInputCount()];
                for (int i = 0; i < in.length; i++) {
                    in[i] = proto.getInput(i).isEmpty() ? null : constants.get(proto.getInput(i));
                }
                Value[] out;
                try {
                    out = kernel.forward(in, Kernel.Context.INFERENCE);
                } catch (RuntimeException e) {
                    if (e instanceof InvalidInputException) {
                        throw e;
                    }
                    throw node.error("cannot fold this constant sub-graph node: " + e.getMessage());
                }
                for (int o = 0; o < proto.getOutputCount() && o < out.length; o++) {
                    if (!proto.getOutput(o).isEmpty()) {
                        constants.put(proto.getOutput(o), out[o]);
                    }
                }
                continue;
            }
            for (int i = 0; i < proto.getInputCount(); i++) {
                String in = proto.getInput(i);
                if (!in.isEmpty() && constants.containsKey(in)) {
                    boolean slot = kernel.learnableInput(i) && constants.get(in).isFloating();
                    learnable.merge(in, slot, Boolean::logicalOr);
                }
            }
            dynamic.addAll(proto.getOutputList());
            nodes.add(new NativeGraph.Node(node.name(), proto.getOpType(), kernel, proto.getInputList(),
                    proto.getOutputList(), node));
        }
        LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, Boolean> e : learnable.entrySet()) {
            Value v = constants.get(e.getKey());
            if (e.getValue() && v.size() > 0) {
                parameters.put(e.getKey(), new Parameter(e.getKey(), NativeGraph.tensor(v.dims(), v.floatData().clone()), 0f));
            }
        }
        // Keep graph order of parameters: the order their constants were defined.
        LinkedHashMap<String, Parameter> ordered = new LinkedHashMap<>();
        for (String name : constants.keySet()) {
            if (parameters.containsKey(name)) {
                ordered.put(name, parameters.get(name));
            }
        }
        Map<String, Value> remaining = new LinkedHashMap<>(constants);
        remaining.keySet().removeAll(ordered.keySet());
        List<String> outputs = new ArrayList<>();
        for (ValueInfoProto o : g.getOutputList()) {
            if (!dynamic.contains(o.getName()) && !remaining.containsKey(o.getName())
                    && !ordered.containsKey(o.getName())) {
                throw new InvalidInputException(where + ": graph output '" + o.getName() + "' is produced by no node");
            }
            outputs.add(o.getName());
        }
        return new NativeGraph(where, nodes, remaining, ordered, inputs, outputs);
    }
}
