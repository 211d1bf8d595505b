package org.modelbench.api;

/**
 * What a layer may use during one forward/backward pass.
 *
 * @param training true while training (dropout active, batch norm uses batch statistics)
 * @param seed     the seed of this batch for this layer: random masks derive from it alone
 * @param threads  the number of threads the layer may use, {@code >= 1}
 */
public record LayerContext(boolean training, long seed, int threads) {
    public LayerContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** Inference on one thread. */
    public static LayerContext inference() {
        return new LayerContext(false, 0, 1);
    }
}
