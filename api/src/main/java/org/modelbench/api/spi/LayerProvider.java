package org.modelbench.api.spi;

import org.modelbench.api.Layer;
import org.modelbench.api.Shape;

/**
 * A layer type usable in model definitions ({@code {type: conv2d, filters: 32, ...}}). The layer
 * spec's keys other than {@code type} bind to {@link #configType()}.
 *
 * @param <C> the layer's typed configuration
 */
public interface LayerProvider<C extends Record> extends Provider {

    /** The configuration record of this layer type. */
    Class<C> configType();

    /**
     * The output shape for an input shape, without creating the layer.
     *
     * @throws org.modelbench.api.InvalidInputException when the input does not fit (e.g. a kernel
     *                                                  larger than its input), saying why
     */
    Shape outputShape(C config, Shape inputShape);

    /**
     * A new layer with parameters initialised deterministically from {@code seed}.
     *
     * @param inputShape the per-sample input shape
     */
    org.modelbench.api.Layer create(C config, Shape inputShape, long seed);

    /** Type witness for generic callers: {@code create} with an unchecked config. */
    @SuppressWarnings("unchecked")
    default Layer createUnchecked(Record config, Shape inputShape, long seed) {
        return create((C) config, inputShape, seed);
    }
}
