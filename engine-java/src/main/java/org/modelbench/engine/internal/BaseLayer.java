package org.modelbench.engine.internal;

import java.util.List;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Layer;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/** What every engine layer shares: its type, shapes and parameters, and input checks. */
abstract class BaseLayer implements Layer {
    private final String type;
    private final Shape inputShape;
    private final Shape outputShape;
    private final List<Parameter> parameters;

    BaseLayer(String type, Shape inputShape, Shape outputShape, List<Parameter> parameters) {
        this.type = type;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
        this.parameters = List.copyOf(parameters);
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final Shape inputShape() {
        return inputShape;
    }

    @Override
    public final Shape outputShape() {
        return outputShape;
    }

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    /** The batch size of {@code input}, after checking that it is {@code [N, ...inputShape]}. */
    final int checkInput(Tensor input) {
        Shape s = input.shape();
        if (s.rank() != inputShape.rank() + 1 || !s.withoutBatch().equals(inputShape)) {
            throw new InvalidInputException(type + " layer expects batches of " + inputShape + ", got " + s);
        }
        return s.dim(0);
    }

    /** {@code [n, ...outputShape]}. */
    final Shape outputBatch(int n) {
        return outputShape.withBatch(n);
    }

    /**
     * The array a training pass writes its result into: {@code previous} again when it has exactly
     * {@code size} elements (the batch size did not change), else a new one. Training reuses the
     * arrays of its last step, since the next step's pass replaces their tensors anyway: a batch of
     * the seed CNN would otherwise allocate (and zero) about 80 MB per step. Contents are undefined.
     */
    static float[] reuse(float[] previous, int size) {
        return previous != null && previous.length == size ? previous : new float[size];
    }

    static void requireForward(Object cache, String type) {
        if (cache == null) {
            throw new IllegalStateException(type + ": backward without a training forward pass");
        }
    }
}
