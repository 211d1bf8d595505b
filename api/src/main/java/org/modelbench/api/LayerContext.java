package org.modelbench.api;

/**
 * What a layer may use during one forward/backward pass.
 *
 * <p>Three modes: training ({@code training}: dropout active, batch norm uses and updates batch
 * statistics, a backward pass follows); inference ({@code !training && !gradients}: nothing is kept
 * for a backward pass); and inference with gradients ({@code !training && gradients}: the layers
 * behave as in inference but keep what a backward pass needs, for input gradients such as
 * adversarial examples and Grad-CAM).
 *
 * @param training  true while training (dropout active, batch norm uses batch statistics)
 * @param seed      the seed of this batch for this layer: random masks derive from it alone
 * @param threads   the number of threads the layer may use, {@code >= 1}
 * @param gradients true when a backward pass follows an inference forward pass
 */
public record LayerContext(boolean training, long seed, int threads, boolean gradients) {
    public LayerContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** A training or plain inference context. */
    public LayerContext(boolean training, long seed, int threads) {
        this(training, seed, threads, false);
    }

    /** Inference on one thread. */
    public static LayerContext inference() {
        return new LayerContext(false, 0, 1);
    }

    /** Inference whose forward pass keeps what a backward pass needs. */
    public static LayerContext inferenceWithGradients(int threads) {
        return new LayerContext(false, 0, threads, true);
    }

    /** Whether layers must keep what their backward pass needs: when training or {@link #gradients()}. */
    public boolean keepsForBackward() {
        return training || gradients;
    }
}
