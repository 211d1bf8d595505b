package org.modelbench.onnx.internal;

import java.util.Set;
import java.util.TreeSet;

/** The operators the native interpreter supports, and the factory of their kernels. */
public final class Kernels {
    private Kernels() {
    }

    /** Operators of the default ONNX domain that {@link #create} accepts. */
    public static final Set<String> SUPPORTED = new TreeSet<>(Set.of(
            "Conv", "BatchNormalization", "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "MaxPool", "AveragePool",
            "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Concat", "Flatten",
            "Reshape", "Transpose", "Pad", "Softmax", "LogSoftmax", "ReduceMean", "Dropout", "Identity", "Constant",
            "Shape", "Gather", "Unsqueeze", "Squeeze", "Slice", "Cast", "ConstantOfShape", "Neg", "Exp", "Sqrt",
            "Abs"));

    /** Whether {@code node} is of a supported operator in the default domain. */
    public static boolean supports(ai.onnx.proto.OnnxMl.NodeProto node) {
        String domain = node.getDomain();
        return (domain.isEmpty() || domain.equals("ai.onnx")) && SUPPORTED.contains(node.getOpType());
    }

    /**
     * The kernel of a node (Constant nodes are handled by the importer).
     *
     * @throws org.modelbench.api.InvalidInputException for an unsupported operator or attribute, naming the node
     */
    public static Kernel create(OnnxNode node) {
        if (!supports(node.proto())) {
            throw node.unsupported("unsupported operator " + (node.proto().getDomain().isEmpty() ? ""
                    : node.proto().getDomain() + ".") + node.opType() + " (supported: " + String.join(", ", SUPPORTED) + ")");
        }
        return switch (node.opType()) {
            case "Conv" -> WindowKernels.conv(node);
            case "MaxPool" -> WindowKernels.pool(node, true);
            case "AveragePool" -> WindowKernels.pool(node, false);
            case "GlobalAveragePool" -> WindowKernels.globalPool(false);
            case "GlobalMaxPool" -> WindowKernels.globalPool(true);
            case "BatchNormalization" -> LinearKernels.batchNorm(node);
            case "Gemm" -> LinearKernels.gemm(node);
            case "MatMul" -> LinearKernels.matMul(node);
            case "Softmax" -> LinearKernels.softmax(node, false);
            case "LogSoftmax" -> LinearKernels.softmax(node, true);
            case "ReduceMean" -> LinearKernels.reduceMean(node);
            case "Dropout" -> LinearKernels.dropout(node);
            case "Relu" -> ElementwiseKernels.relu();
            case "LeakyRelu" -> ElementwiseKernels.leakyRelu(node.f("alpha", 0.01f));
            case "Sigmoid" -> ElementwiseKernels.sigmoid();
            case "Tanh" -> ElementwiseKernels.tanh();
            case "Neg" -> ElementwiseKernels.neg();
            case "Exp" -> ElementwiseKernels.exp();
            case "Sqrt" -> ElementwiseKernels.sqrt();
            case "Abs" -> ElementwiseKernels.abs();
            case "Clip" -> ElementwiseKernels.clip(node);
            case "Add" -> ElementwiseKernels.binary(ElementwiseKernels.Arithmetic.ADD);
            case "Sub" -> ElementwiseKernels.binary(ElementwiseKernels.Arithmetic.SUB);
            case "Mul" -> ElementwiseKernels.binary(ElementwiseKernels.Arithmetic.MUL);
            case "Div" -> ElementwiseKernels.binary(ElementwiseKernels.Arithmetic.DIV);
            case "Concat" -> ShapeKernels.concat(node);
            case "Flatten" -> ShapeKernels.flatten(node);
            case "Reshape" -> ShapeKernels.reshape(node);
            case "Transpose" -> ShapeKernels.transpose(node);
            case "Pad" -> ShapeKernels.pad(node);
            case "Identity" -> ShapeKernels.identity();
            case "Shape" -> ShapeKernels.shape(node);
            case "Gather" -> ShapeKernels.gather(node);
            case "Unsqueeze" -> ShapeKernels.squeeze(node, true);
            case "Squeeze" -> ShapeKernels.squeeze(node, false);
            case "Slice" -> ShapeKernels.slice(node);
            case "Cast" -> ShapeKernels.cast(node);
            case "ConstantOfShape" -> ShapeKernels.constantOfShape(node);
            case "Constant" -> {
                Value v = ShapeKernels.constantValue(node);
                yield (in, ctx) -> new Value[] {v};
            }
            default -> throw node.unsupported("unsupported operator " + node.opType());
        };
    }
}
