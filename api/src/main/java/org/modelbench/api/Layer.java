package org.modelbench.api;

import java.util.List;

/**
 * One differentiable layer of a neural network, created for a fixed per-sample input shape.
 *
 * <p>Lifecycle per batch: {@link #forward} (which may keep what {@link #backward} needs), then at
 * most one {@link #backward} with the gradient of the loss with respect to the forward output.
 * Backward adds parameter gradients into {@link Parameter#gradient()} and returns the gradient with
 * respect to the forward input. A layer is used by one training thread at a time; it may split its
 * own work over {@link LayerContext#threads()} threads but must give bit-identical results for any
 * thread count.
 */
public interface Layer {

    /** The layer type as written in manifests, e.g. {@code conv2d}. */
    String type();

    /** Per-sample input shape (CHW for images). */
    Shape inputShape();

    /** Per-sample output shape. */
    Shape outputShape();

    /** The learned parameters, in a stable order; empty for parameter-free layers. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Computes the output of a batch.
     *
     * @param input   shape {@code [N, ...inputShape()]}
     * @param context training or inference mode, the batch's seed, the thread budget
     * @return shape {@code [N, ...outputShape()]}
     */
    Tensor forward(Tensor input, LayerContext context);

    /**
     * Back-propagates the last {@link #forward} call (made with {@code context.training()}).
     *
     * @param outputGradient gradient of the loss with respect to the output, {@code [N, ...outputShape()]}
     * @return gradient with respect to the input, {@code [N, ...inputShape()]}
     */
    Tensor backward(Tensor outputGradient, LayerContext context);

    /** Total number of scalars in {@link #parameters()}. */
    default long parameterCount() {
        long count = 0;
        for (Parameter p : parameters()) {
            count += p.size();
        }
        return count;
    }
}
