package org.modelbench.engine.internal;

import org.modelbench.api.LayerContext;
import org.modelbench.api.Tensor;

/**
 * A layer whose output may be a softmax, so that the cross-entropy loss can be fused with it: the
 * loss reads the logits and back-propagates {@code p - y} straight into the pre-softmax values.
 */
public interface SoftmaxOutput {

    /** Whether the last forward ended in a softmax. */
    boolean endsInSoftmax();

    /** The pre-softmax values of the last forward, {@code [N, ...outputShape]}. */
    Tensor logits();

    /** Like {@code backward}, but {@code logitGradient} is already the gradient of the logits. */
    Tensor backwardFromLogits(Tensor logitGradient, LayerContext context);
}
