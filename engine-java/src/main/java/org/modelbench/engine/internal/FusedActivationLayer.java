package org.modelbench.engine.internal;

import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.Activation;

/**
 * A layer whose linear part (dense, conv2d) is followed by a fused activation: subclasses compute
 * pre-activations, apply the activation, {@link #remember} the result, and implement
 * {@link #backwardFromLogits} for the linear part; the activation's backward lives here.
 */
abstract class FusedActivationLayer extends BaseLayer implements SoftmaxOutput {
    /** The slope of a fused {@code leaky-relu} (Keras' default). */
    static final float LEAKY_SLOPE = 0.3f;
    final Activation activation;
    private Tensor output;
    private Tensor logits;

    FusedActivationLayer(String type, Shape inputShape, Shape outputShape, List<Parameter> parameters,
                         Activation activation) {
        super(type, inputShape, outputShape, parameters);
        this.activation = activation;
    }

    /** Keeps the output for backward (when training) and the pre-softmax values (when softmax, else null). */
    final void remember(Tensor y, Tensor preSoftmax, LayerContext context) {
        output = context.keepsForBackward() ? y : null;
        logits = preSoftmax;
    }

    /** The output of the last training forward (for subclasses' backward). */
    final Tensor lastOutput() {
        requireForward(output, type());
        return output;
    }

    @Override
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        Tensor y = lastOutput();
        int n = y.batchSize();
        float[] dz = Activations.backwardBatch(activation, LEAKY_SLOPE, y.data(), outputGradient.data(), n,
                outputShape().size());
        return backwardFromLogits(Tensor.of(outputBatch(n), dz), context);
    }

    @Override
    public final boolean endsInSoftmax() {
        return activation == Activation.SOFTMAX;
    }

    @Override
    public final Tensor logits() {
        return logits;
    }
}
