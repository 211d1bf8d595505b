package org.modelbench.engine.internal;

import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.Activation;

/** A standalone activation ({@code relu}, {@code leaky-relu}, {@code sigmoid}, {@code tanh}, {@code softmax}). */
public final class ActivationLayer extends BaseLayer implements SoftmaxOutput {
    private final Activation function;
    private final float alpha;
    private Tensor input;
    private Tensor output;

    ActivationLayer(Activation function, float alpha, Shape inputShape) {
        super(function.specName(), inputShape, inputShape, List.of());
        this.function = function;
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x, LayerContext context) {
        int n = checkInput(x);
        int size = inputShape().size();
        float[] y = x.data().clone();
        for (int s = 0; s < n; s++) {
            Activations.apply(function, alpha, y, s * size, size);
        }
        Tensor out = Tensor.of(outputBatch(n), y);
        input = x;
        output = context.keepsForBackward() ? out : null;
        return out;
    }

    @Override
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        requireForward(output, type());
        int n = output.batchSize();
        int size = inputShape().size();
        float[] g = Activations.backwardBatch(function, alpha, output.data(), outputGradient.data(), n, size);
        return Tensor.of(inputShape().withBatch(n), g);
    }

    @Override
    public boolean endsInSoftmax() {
        return function == Activation.SOFTMAX;
    }

    @Override
    public Tensor logits() {
        return input;
    }

    @Override
    public Tensor backwardFromLogits(Tensor logitGradient, LayerContext context) {
        return logitGradient;
    }
}
