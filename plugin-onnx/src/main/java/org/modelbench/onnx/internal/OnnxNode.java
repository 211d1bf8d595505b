package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;
import org.modelbench.api.InvalidInputException;

/**
 * A node of an ONNX graph with typed attribute access; errors name the node and the file.
 *
 * @param proto the node
 * @param opset the model's default-domain opset version
 * @param where the model file, for messages
 */
public record OnnxNode(NodeProto proto, int opset, String where) {

    public String name() {
        return proto.getName().isEmpty() ? proto.getOpType() + "(" + String.join(",", proto.getOutputList()) + ")"
                : proto.getName();
    }

    public String opType() {
        return proto.getOpType();
    }

    /** Input names; an omitted optional input is the empty string. */
    public List<String> inputs() {
        return proto.getInputList();
    }

    public List<String> outputs() {
        return proto.getOutputList();
    }

    /** Whether input {@code i} is present (not omitted). */
    public boolean hasInput(int i) {
        return i < proto.getInputCount() && !proto.getInput(i).isEmpty();
    }

    private AttributeProto find(String name) {
        for (AttributeProto a : proto.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    public boolean has(String name) {
        return find(name) != null;
    }

    public long i(String name, long fallback) {
        AttributeProto a = find(name);
        return a == null ? fallback : a.getI();
    }

    public float f(String name, float fallback) {
        AttributeProto a = find(name);
        return a == null ? fallback : a.getF();
    }

    public String s(String name, String fallback) {
        AttributeProto a = find(name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /** An INTS attribute, or {@code fallback} (may be null) when absent. */
    public long[] ints(String name, long[] fallback) {
        AttributeProto a = find(name);
        if (a == null) {
            return fallback;
        }
        long[] out = new long[a.getIntsCount()];
        for (int k = 0; k < out.length; k++) {
            out[k] = a.getInts(k);
        }
        return out;
    }

    public float[] floats(String name) {
        AttributeProto a = find(name);
        if (a == null) {
            return null;
        }
        float[] out = new float[a.getFloatsCount()];
        for (int k = 0; k < out.length; k++) {
            out[k] = a.getFloats(k);
        }
        return out;
    }

    public AttributeProto attribute(String name) {
        return find(name);
    }

    /** A feature of this node that the native import does not support (exit 2). */
    public UnsupportedFeatureException unsupported(String message) {
        return new UnsupportedFeatureException(where + ": node '" + name() + "' (" + opType() + "): " + message);
    }

    /** An error about this node, for the user (exit 2). */
    public InvalidInputException error(String message) {
        return new InvalidInputException(where + ": node '" + name() + "' (" + opType() + "): " + message);
    }
}
