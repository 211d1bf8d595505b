package org.modelbench.onnx.internal;

/**
 * A kernel that takes the Relu after it into its own passes in a pass with a tape: the forward's
 * output pass applies it ({@link #forward(Value[], float[], Epilogue, Context)} with
 * {@link Epilogue#RELU}), and {@link #backwardThroughRelu} masks the Relu's output gradient as it
 * reads it, so the Relu runs no pass of its own and allocates nothing. {@link NativeGraph} folds the
 * pair when the Relu alone reads the kernel's output and nobody asks for that output or its gradient;
 * the bits are those of the two nodes.
 */
interface ReluFolding extends FusedForward {
    /**
     * {@link #backward} of this kernel followed by the Relu: {@code outputs[0]} is the Relu's output
     * and {@code outputGradients[0]} the gradient of the loss with respect to it, which counts only
     * where {@code outputs[0] > 0} (the Relu's own backward: its input is positive exactly there).
     */
    Value[] backwardThroughRelu(Value[] inputs, Value[] outputs, Value[] outputGradients, Context context);
}
