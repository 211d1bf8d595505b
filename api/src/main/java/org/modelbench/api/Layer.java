package org.modelbench.api;

import java.util.List;

/**
 * One differentiable layer of a neural network, created for a fixed per-sample input shape.
 *
 * <p>Lifecycle per batch: {@link #forward}, then at most one {@link #backward} with the gradient of
 * the loss with respect to that forward pass's output. Backward adds parameter gradients into
 * {@link Parameter#gradient()} and returns the gradient with respect to the forward input.
 *
 * <p>What a layer may keep: when {@link LayerContext#keepsForBackward()} is true, {@code forward}
 * may keep references to its input and output (or anything derived from them) until the next
 * {@code forward} or {@code backward} call; callers never modify a tensor they passed in or got
 * back until then. When it is false (plain inference) a layer keeps nothing of the batch and no
 * {@code backward} follows.
 *
 * <p>Threads: a layer instance is <em>not</em> required to be thread-safe. The engine never calls
 * one instance from two threads at once, in training or in inference (a model serialises its
 * {@code predictProbabilities} calls); concurrent inference uses separate model instances. A layer
 * may split its own work over {@link LayerContext#threads()} threads but must give bit-identical
 * results for any thread count. {@code modelbench-testkit}'s {@code LayerContract} checks
 * gradients against finite differences, the shape contract and reloading from config and
 * parameters.
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
