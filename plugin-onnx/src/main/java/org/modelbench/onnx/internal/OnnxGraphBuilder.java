package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds ONNX models with the protobuf builders: named inputs with symbolic or fixed dims,
 * initializers, nodes with attributes, outputs. Used by the exporter and to generate test models.
 * Output names of nodes are made unique from the node name.
 */
public final class OnnxGraphBuilder {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final int opset;
    private final Set<String> names = new HashSet<>();
    private int counter;

    /** A builder of a graph called {@code name} for the given default-domain opset. */
    public OnnxGraphBuilder(String name, int opset) {
        graph.setName(name);
        this.opset = opset;
    }

    public int opset() {
        return opset;
    }

    /** A fresh value name based on {@code base}. */
    public String unique(String base) {
        String name = base;
        while (!names.add(name)) {
            name = base + "_" + ++counter;
        }
        return name;
    }

    /** Declares a FLOAT graph input; a negative dim is symbolic ({@code N} for the first, else {@code d<i>}). */
    public String input(String name, int... dims) {
        names.add(name);
        graph.addInput(valueInfo(name, Value.FLOAT, dims));
        return name;
    }

    /** Declares a graph output of FLOAT values with optional dims (none: unknown shape). */
    public void output(String name, int... dims) {
        graph.addOutput(valueInfo(name, Value.FLOAT, dims));
    }

    static ValueInfoProto valueInfo(String name, int elementType, int... dims) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(elementType);
        if (dims.length > 0) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (int i = 0; i < dims.length; i++) {
                shape.addDim(dims[i] < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam(i == 0 ? "N" : "d" + i)
                        : TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
            }
            t.setShape(shape);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    /** Adds an initializer; returns its (unique) name. */
    public String initializer(String name, Value value) {
        String n = unique(name);
        graph.addInitializer(TensorProtos.toProto(n, value));
        return n;
    }

    /** A FLOAT initializer. */
    public String floats(String name, int[] dims, float[] data) {
        return initializer(name, Value.floats(dims, data));
    }

    /** A 1-D INT64 initializer. */
    public String longs(String name, long... data) {
        return initializer(name, Value.vector(data));
    }

    /**
     * Adds a node with one output named after it.
     *
     * @param attributes attribute protos made with {@link #ints}, {@link #i}, {@link #f}, {@link #s}
     * @return the output name
     */
    public String node(String opType, String name, List<String> inputs, AttributeProto... attributes) {
        return nodeWithOutputs(opType, name, inputs, 1, attributes).get(0);
    }

    /** Adds a node with {@code outputs} outputs; returns their names. */
    public List<String> nodeWithOutputs(String opType, String name, List<String> inputs, int outputs,
                                        AttributeProto... attributes) {
        String nodeName = unique(name);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(nodeName).addAllInput(inputs);
        String[] outs = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            outs[i] = unique(nodeName + (i == 0 ? ":0" : ":" + i));
            n.addOutput(outs[i]);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return List.of(outs);
    }

    /** Adds a ready node (its names must already be unique). */
    public void raw(NodeProto node) {
        graph.addNode(node);
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static AttributeProto i(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto f(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto s(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto tensor(String name, Value value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR)
                .setT(TensorProtos.toProto(name, value)).build();
    }

    /** The model (IR version 8) with a producer name. */
    public ModelProto build(String producer) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName(producer).setProducerVersion("0.1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
    }
}
