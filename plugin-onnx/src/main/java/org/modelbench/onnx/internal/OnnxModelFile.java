package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;

/**
 * A parsed ONNX model file: the {@code ModelProto}, the default-domain opset, and its real inputs
 * (graph inputs that are not initializers) with their declared dims ({@code -1} for a symbolic or
 * unknown dimension).
 *
 * @param path  the file (for messages and external data)
 * @param proto the model
 * @param opset the default ONNX domain's opset version
 */
public record OnnxModelFile(Path path, ModelProto proto, int opset) {

    /** A declared graph input or output. */
    public record Port(String name, int elementType, int[] dims) {
        /** For example {@code input: FLOAT [-1, 150, 150, 3]}. */
        public String describe() {
            if (dims.length == 0) {
                return name + ": " + TensorProtos.typeName(elementType) + " (shape not declared)";
            }
            StringBuilder sb = new StringBuilder(name).append(": ").append(TensorProtos.typeName(elementType)).append(" [");
            for (int i = 0; i < dims.length; i++) {
                sb.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "?" : String.valueOf(dims[i]));
            }
            return sb.append(']').toString();
        }
    }

    /**
     * Reads and checks a model file.
     *
     * @throws InvalidInputException (exit 2) for a missing file, a malformed protobuf or a model without a graph
     */
    public static OnnxModelFile load(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(path + ": no such file");
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read: " + e.getMessage(), e);
        }
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new DataFormatException(path, -1, "not a valid ONNX model (malformed protobuf: " + e.getMessage() + ")", e);
        }
        return of(path, proto);
    }

    /**
     * Checks that {@code path} looks like an ONNX model without reading it into memory: each top-level
     * field must be a {@code ModelProto} field of the right wire type whose length fits the file, and
     * a graph must be present. What {@code run --check} can know before a trial loads the model.
     *
     * @throws InvalidInputException (exit 2) naming the file otherwise
     */
    public static void checkFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException(path + ": no such file (expected an .onnx model)");
        }
        boolean graph = false;
        try (java.io.InputStream stream = Files.newInputStream(path)) {
            com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(stream, 1 << 16);
            in.setSizeLimit(Integer.MAX_VALUE);
            while (true) {
                long at = in.getTotalBytesRead();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                int number = com.google.protobuf.WireFormat.getTagFieldNumber(tag);
                var field = ModelProto.getDescriptor().findFieldByNumber(number);
                int wireType = com.google.protobuf.WireFormat.getTagWireType(tag);
                boolean delimited = field != null && (field.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor
                        .JavaType.MESSAGE || field.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor
                        .JavaType.STRING || field.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor
                        .JavaType.BYTE_STRING);
                int expected = delimited ? com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED
                        : com.google.protobuf.WireFormat.WIRETYPE_VARINT;
                if (field == null || wireType != expected) {
                    throw new DataFormatException(path, at, "not a valid ONNX model (byte " + at
                            + " is not the start of a ModelProto field)");
                }
                graph |= number == ModelProto.GRAPH_FIELD_NUMBER;
                in.skipField(tag);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new DataFormatException(path, -1, "not a valid ONNX model (malformed protobuf: " + e.getMessage() + ")",
                    e);
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read: " + e.getMessage(), e);
        }
        if (!graph) {
            throw new DataFormatException(path, -1, "not a valid ONNX model: no graph (is this an ONNX file?)");
        }
    }

    /** Wraps an in-memory model; {@code path} names it in messages and anchors external data. */
    public static OnnxModelFile of(Path path, ModelProto proto) {
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0 && proto.getGraph().getOutputCount() == 0) {
            throw new DataFormatException(path, -1, "not a valid ONNX model: no graph (is this an ONNX file?)");
        }
        int opset = -1;
        for (OperatorSetIdProto id : proto.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                opset = (int) id.getVersion();
            }
        }
        return new OnnxModelFile(path, proto, opset);
    }

    public GraphProto graph() {
        return proto.getGraph();
    }

    /** The folder that external data paths are relative to. */
    public Path directory() {
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** Graph inputs that are not initializers. */
    public List<Port> inputs() {
        Set<String> init = new HashSet<>();
        for (TensorProto t : graph().getInitializerList()) {
            init.add(t.getName());
        }
        List<Port> out = new ArrayList<>();
        for (ValueInfoProto v : graph().getInputList()) {
            if (!init.contains(v.getName())) {
                out.add(port(v));
            }
        }
        return out;
    }

    public List<Port> outputs() {
        return graph().getOutputList().stream().map(OnnxModelFile::port).toList();
    }

    static Port port(ValueInfoProto v) {
        TypeProto.Tensor t = v.getType().getTensorType();
        int[] dims = new int[t.getShape().getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dimension d = t.getShape().getDim(i);
            dims[i] = d.hasDimValue() && d.getDimValue() > 0 ? (int) d.getDimValue() : -1;
        }
        return new Port(v.getName(), t.getElemType(), dims);
    }

    /** Nodes of each operator ({@code domain.op} outside the default domain), in first-seen order. */
    public Map<String, List<String>> nodesByOperator() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (NodeProto n : graph().getNodeList()) {
            out.computeIfAbsent(operatorName(n), k -> new ArrayList<>()).add(nodeName(n));
        }
        return out;
    }

    static String operatorName(NodeProto n) {
        return n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType()
                : n.getDomain() + "." + n.getOpType();
    }

    static String nodeName(NodeProto n) {
        return n.getName().isEmpty() ? n.getOpType() + "(" + String.join(",", n.getOutputList()) + ")" : n.getName();
    }

    /** The number of scalars in floating-point initializers. */
    public long parameterCount() {
        long count = 0;
        for (TensorProto t : graph().getInitializerList()) {
            int type = t.getDataType();
            if (type == Value.FLOAT || type == Value.DOUBLE || type == 10) {
                long n = 1;
                for (long d : t.getDimsList()) {
                    n *= d;
                }
                count += n;
            }
        }
        return count;
    }

    /**
     * The value name that a cut point denotes: a node name (its first output) or a value name.
     *
     * @throws InvalidInputException naming the file when neither exists
     */
    public String resolveCut(String cut) {
        for (NodeProto n : graph().getNodeList()) {
            if (n.getName().equals(cut)) {
                return n.getOutput(0);
            }
        }
        for (NodeProto n : graph().getNodeList()) {
            if (n.getOutputList().contains(cut)) {
                return cut;
            }
        }
        for (ValueInfoProto v : graph().getInputList()) {
            if (v.getName().equals(cut)) {
                return cut;
            }
        }
        throw new InvalidInputException(path + ": cut point '" + cut + "' is neither a node name nor a value name "
                + "of the graph (see 'modelbench onnx inspect " + path.getFileName() + " --nodes')");
    }

    /**
     * This model with {@code valueName} as its only output and the nodes it does not need removed;
     * external data is inlined so that the result loads from bytes.
     */
    public OnnxModelFile cutAt(String valueName) {
        return cutAt(List.of(valueName));
    }

    /**
     * This model with {@code valueNames} as its outputs (in that order) and the nodes they do not need
     * removed, so that one run computes all of them; external data is inlined.
     */
    public OnnxModelFile cutAt(List<String> valueNames) {
        GraphProto g = graph();
        Map<String, NodeProto> producer = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                producer.put(o, n);
            }
        }
        Set<NodeProto> keep = new HashSet<>();
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(valueNames);
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (!needed.add(v)) {
                continue;
            }
            NodeProto n = producer.get(v);
            if (n != null && keep.add(n)) {
                for (String i : n.getInputList()) {
                    if (!i.isEmpty()) {
                        todo.push(i);
                    }
                }
            }
        }
        GraphProto.Builder b = g.toBuilder().clearNode().clearOutput().clearInitializer().clearInput().clearValueInfo();
        for (NodeProto n : g.getNodeList()) {
            if (keep.contains(n)) {
                b.addNode(n);
            }
        }
        for (TensorProto t : g.getInitializerList()) {
            if (needed.contains(t.getName())) {
                b.addInitializer(t.getDataLocation() == TensorProto.DataLocation.EXTERNAL
                        ? TensorProtos.toProto(t.getName(), TensorProtos.toValue(t, directory(), path.toString())) : t);
            }
        }
        for (ValueInfoProto v : g.getInputList()) {
            if (needed.contains(v.getName())) {
                b.addInput(v);
            }
        }
        for (String valueName : valueNames) {
            ValueInfoProto declared = null;
            for (ValueInfoProto v : g.getValueInfoList()) {
                if (v.getName().equals(valueName)) {
                    declared = v;
                }
            }
            for (ValueInfoProto v : g.getOutputList()) {
                if (v.getName().equals(valueName)) {
                    declared = v;
                }
            }
            b.addOutput(declared != null ? declared : ValueInfoProto.newBuilder().setName(valueName)
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                            .setElemType(Value.FLOAT))).build());
        }
        return new OnnxModelFile(path, proto.toBuilder().setGraph(b).build(), opset);
    }
}
