package org.modelbench.engine.internal;

import org.modelbench.engine.config.Activation;

/** Element-wise activations applied in place to one sample's slice {@code [off, off + len)}. */
public final class Activations {
    private Activations() {
    }

    /** Replaces {@code x} by {@code f(x)}; softmax normalises over the whole slice. */
    public static void apply(Activation f, float alpha, float[] x, int off, int len) {
        int end = off + len;
        switch (f) {
            case LINEAR -> {
            }
            case RELU -> Elementwise.biasRelu(x, off, len, 0f);
            case LEAKY_RELU -> {
                for (int i = off; i < end; i++) {
                    x[i] = x[i] > 0 ? x[i] : alpha * x[i];
                }
            }
            case SIGMOID -> {
                for (int i = off; i < end; i++) {
                    x[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
                }
            }
            case TANH -> {
                for (int i = off; i < end; i++) {
                    x[i] = (float) Math.tanh(x[i]);
                }
            }
            case SOFTMAX -> softmax(x, off, len);
        }
    }

    /** A numerically stable softmax of a slice, in place. */
    public static void softmax(float[] x, int off, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = off; i < off + len; i++) {
            x[i] *= inv;
        }
    }

    /**
     * The gradient with respect to the inputs of a batch of {@code n} samples of {@code size}
     * values, from the outputs {@code y} and their gradient {@code g} (left unchanged).
     */
    public static float[] backwardBatch(Activation f, float alpha, float[] y, float[] g, int n, int size) {
        float[] dz = g.clone();
        for (int s = 0; s < n; s++) {
            backward(f, alpha, y, dz, s * size, size);
        }
        return dz;
    }

    /**
     * Turns the gradient with respect to the outputs {@code g} into the gradient with respect to the
     * inputs, in place, given the outputs {@code y} of {@link #apply}.
     */
    public static void backward(Activation f, float alpha, float[] y, float[] g, int off, int len) {
        int end = off + len;
        switch (f) {
            case LINEAR -> {
            }
            case RELU -> Elementwise.reluBackward(y, off, g, off, len);
            case LEAKY_RELU -> {
                for (int i = off; i < end; i++) {
                    if (!(y[i] > 0)) {
                        g[i] *= alpha;
                    }
                }
            }
            case SIGMOID -> {
                for (int i = off; i < end; i++) {
                    g[i] *= y[i] * (1 - y[i]);
                }
            }
            case TANH -> {
                for (int i = off; i < end; i++) {
                    g[i] *= 1 - y[i] * y[i];
                }
            }
            case SOFTMAX -> {
                double dot = 0;
                for (int i = off; i < end; i++) {
                    dot += (double) g[i] * y[i];
                }
                float d = (float) dot;
                for (int i = off; i < end; i++) {
                    g[i] = y[i] * (g[i] - d);
                }
            }
        }
    }
}
