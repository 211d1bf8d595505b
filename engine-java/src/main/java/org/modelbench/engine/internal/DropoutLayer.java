package org.modelbench.engine.internal;

import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.kernels.Parallel;

/**
 * Inverted dropout. Element {@code i} of a batch is kept when a hash of (batch seed, i) falls above
 * {@code rate}, so masks depend on the seed alone, never on threads or call order.
 */
public final class DropoutLayer extends BaseLayer {
    private static final int BLOCK = 1 << 15;
    private final float rate;
    private float[] mask;
    /** The output and input-gradient arrays of the last training step, reused by the next ({@link #reuse}). */
    private float[] output;
    private float[] inputGradient;

    DropoutLayer(float rate, Shape inputShape) {
        super("dropout", inputShape, inputShape, List.of());
        this.rate = rate;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext context) {
        int n = checkInput(input);
        if (!context.training() || rate == 0f) {
            mask = null;
            return input;
        }
        float[] x = input.data();
        float[] y = output = reuse(output, x.length);
        float[] m = mask != null && mask.length == x.length ? mask : new float[x.length];
        float scale = 1f / (1f - rate);
        long seed = context.seed();
        int len = x.length;
        // kept when u = (hash >>> 11) * 2^-53 >= rate, i.e. (exactly: the scaling by 2^-53 is exact)
        // when the 53-bit integer hash >>> 11 is at least ceil(rate * 2^53)
        long threshold = (long) Math.ceil(rate * 0x1.0p53);
        Parallel.forEach((len + BLOCK - 1) / BLOCK, context.threads(), t -> {
            Elementwise.dropout(x, y, m, t * BLOCK, Math.min(len, (t + 1) * BLOCK), seed, threshold, scale);
        });
        mask = m;
        return Tensor.of(outputBatch(n), y);
    }

    @Override
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        if (mask == null) {
            return outputGradient;
        }
        float[] dy = outputGradient.data();
        float[] dx = context.training() ? inputGradient = reuse(inputGradient, dy.length) : new float[dy.length];
        float[] m = mask;
        int len = dy.length;
        Parallel.forEach((len + BLOCK - 1) / BLOCK, context.threads(), t -> {
            for (int i = t * BLOCK; i < Math.min(len, (t + 1) * BLOCK); i++) {
                dx[i] = dy[i] * m[i];
            }
        });
        return Tensor.of(outputGradient.shape(), dx);
    }
}
