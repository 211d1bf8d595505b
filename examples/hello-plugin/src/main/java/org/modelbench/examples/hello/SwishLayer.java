package org.modelbench.examples.hello;

import org.modelbench.api.Layer;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * Swish (Ramachandran et al. 2017), {@code y = x * sigmoid(beta * x)}, element by element on any
 * shape: a layer written against the api alone, with its own backward pass.
 */
final class SwishLayer implements Layer {
    private final Shape shape;
    private final float beta;
    private Tensor lastInput;

    SwishLayer(Shape shape, float beta) {
        this.shape = shape;
        this.beta = beta;
    }

    @Override
    public String type() {
        return SwishLayerProvider.ID;
    }

    @Override
    public Shape inputShape() {
        return shape;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext context) {
        float[] x = input.data();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * sigmoid(beta * x[i]);
        }
        lastInput = context.keepsForBackward() ? input : null;
        return Tensor.of(input.shape(), y);
    }

    /** {@code dy * (s + beta * x * s * (1 - s))} with {@code s = sigmoid(beta * x)}. */
    @Override
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        if (lastInput == null) {
            throw new IllegalStateException(type() + ": backward without a forward pass that kept its input");
        }
        float[] x = lastInput.data();
        float[] dy = outputGradient.data();
        float[] dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float s = sigmoid(beta * x[i]);
            dx[i] = dy[i] * (s + beta * x[i] * s * (1 - s));
        }
        return Tensor.of(outputGradient.shape(), dx);
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }
}
