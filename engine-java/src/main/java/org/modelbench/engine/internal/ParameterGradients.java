package org.modelbench.engine.internal;

import org.modelbench.api.LayerContext;
import org.modelbench.api.Tensor;

/**
 * A layer that can run the parameter half of its backward pass alone: when nothing needs the
 * gradient with respect to its input (the first layer of a network during training), the input
 * gradient's products are skipped.
 */
public interface ParameterGradients {
    /**
     * Adds the parameter gradients of the last training forward pass, exactly as
     * {@link org.modelbench.api.Layer#backward} would, without computing the input gradient.
     */
    void backwardParameters(Tensor outputGradient, LayerContext context);
}
