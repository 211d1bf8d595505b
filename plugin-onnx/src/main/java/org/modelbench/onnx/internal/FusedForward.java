package org.modelbench.onnx.internal;

/**
 * A kernel whose inference pass can fold the nodes after it into its own output pass: the other
 * operand of a same-shape Add and a Relu or Clip ({@link Epilogue}); {@link NativeGraph} plans that.
 */
interface FusedForward extends Kernel.Differentiable {
    /** The dims of output 0 for these inputs (a residual must have them). */
    int[] outputDims(Value[] inputs);

    /**
     * Output 0 with the epilogue applied; the same bits as {@link #forward(Value[], Context)} followed
     * by the Add of {@code residual} and the activation.
     *
     * @param residual data of the output's dims to add, or null
     */
    Value[] forward(Value[] inputs, float[] residual, Epilogue epilogue, Context context);
}
