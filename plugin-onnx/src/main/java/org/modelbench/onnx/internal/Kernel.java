package org.modelbench.onnx.internal;

/**
 * The computation of one ONNX node in the native interpreter. Kernels are stateless: the graph keeps
 * each node's inputs and outputs from the forward pass and hands them back to {@link #backward}.
 * Omitted optional inputs are {@code null}.
 */
public interface Kernel {

    /**
     * Computes the node's outputs.
     *
     * @param inputs the input values in the node's input order ({@code null} for an omitted input)
     * @return one value per node output
     */
    Value[] forward(Value[] inputs, Context context);

    /**
     * The gradients with respect to the inputs, given the gradients of the outputs ({@code null} for
     * an output nobody used). Entries for inputs that take no gradient are {@code null}.
     */
    default Value[] backward(Value[] inputs, Value[] outputs, Value[] outputGradients, Context context) {
        throw new UnsupportedOperationException("no backward pass");
    }

    /** Whether {@link #backward} is implemented. */
    default boolean differentiable() {
        return false;
    }

    /**
     * Whether input {@code index} holds learnable weights when an initializer feeds it (Conv's
     * kernel and bias, Gemm's B and C, BatchNormalization's scale and bias ...). Statistics, shapes
     * and attributes-as-inputs are not learnable.
     */
    default boolean learnableInput(int index) {
        return false;
    }

    /** A kernel with a backward pass. */
    interface Differentiable extends Kernel {
        @Override
        Value[] backward(Value[] inputs, Value[] outputs, Value[] outputGradients, Context context);

        @Override
        default boolean differentiable() {
            return true;
        }
    }

    /**
     * What a kernel may use during one pass.
     *
     * @param training      true for training-mode behaviour (dropout, batch statistics) of this node
     * @param seed          the seed of this node for this batch
     * @param threads       threads the kernel may use; results do not depend on it
     * @param gradientsUsed in {@link #backward}: bit {@code i} set when somebody uses the gradient of
     *                      input {@code i} (inputs from 64 on always count as used); a kernel may
     *                      return {@code null} for the others and skip their work (a convolution on
     *                      the graph input needs no input gradient)
     * @param gradientSinks in {@link #backward}, per input, {@code null} or the array that input's
     *                      gradient is to be added into (a trainable parameter's own gradient); a
     *                      kernel may add into it itself, in its own fixed order starting from the
     *                      array's values, and return {@code null} for that input (no temporary
     *                      gradient allocated and added), or return the gradient as usual
     */
    record Context(boolean training, long seed, int threads, long gradientsUsed, float[][] gradientSinks) {
        public static final Context INFERENCE = new Context(false, 0, 1);

        /** Every input's gradient used, no sinks. */
        public Context(boolean training, long seed, int threads) {
            this(training, seed, threads, -1L, null);
        }

        /** The sink for input {@code index}'s gradient of {@code size} floats, or {@code null} (see {@code gradientSinks}). */
        public float[] gradientSink(int index, int size) {
            if (gradientSinks == null || index >= gradientSinks.length || gradientSinks[index] == null
                    || gradientSinks[index].length != size) {
                return null;
            }
            return gradientSinks[index];
        }

        /** Whether the gradient of input {@code index} is used (see {@code gradientsUsed}). */
        public boolean gradientUsed(int index) {
            return index >= 64 || (gradientsUsed >>> index & 1L) != 0;
        }

        /** This context with the given {@code gradientsUsed} mask and {@code gradientSinks}. */
        public Context forBackward(long mask, float[][] sinks) {
            return new Context(training, seed, threads, mask, sinks);
        }
    }
}
