package org.modelbench.engine.internal;

import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.LrnConfig;
import org.modelbench.engine.kernels.Parallel;

/**
 * Local response normalisation across channels:
 * {@code y_c = x_c * s_c^-beta}, {@code s_c = k + alpha / size * sum_{c' in [c - (size-1)/2, c + size/2]} x_c'^2}.
 */
public final class LrnLayer extends BaseLayer {
    private final int size;
    private final float alpha;
    private final float beta;
    private final float bias;
    private float[] input;
    private float[] scale;

    LrnLayer(LrnConfig config, Shape inputShape) {
        super("lrn", inputShape, inputShape, List.of());
        this.size = config.size();
        this.alpha = config.alpha();
        this.beta = config.beta();
        this.bias = config.bias();
    }

    @Override
    public Tensor forward(Tensor x, LayerContext context) {
        int n = checkInput(x);
        int channels = inputShape().dim(0);
        int area = inputShape().size() / channels;
        float[] xs = x.data();
        float[] s = new float[xs.length];
        float[] y = new float[xs.length];
        int before = (size - 1) / 2;
        int after = size / 2;
        Parallel.forEach(n, context.threads(), b -> {
            int base = b * channels * area;
            for (int c = 0; c < channels; c++) {
                int lo = Math.max(0, c - before);
                int hi = Math.min(channels - 1, c + after);
                for (int i = 0; i < area; i++) {
                    float sum = 0;
                    for (int cc = lo; cc <= hi; cc++) {
                        float v = xs[base + cc * area + i];
                        sum += v * v;
                    }
                    int o = base + c * area + i;
                    s[o] = bias + alpha / size * sum;
                    y[o] = (float) (xs[o] * Math.pow(s[o], -beta));
                }
            }
        });
        input = context.keepsForBackward() ? xs : null;
        scale = context.keepsForBackward() ? s : null;
        return Tensor.of(outputBatch(n), y);
    }

    @Override
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        requireForward(input, type());
        int n = outputGradient.batchSize();
        int channels = inputShape().dim(0);
        int area = inputShape().size() / channels;
        float[] dy = outputGradient.data();
        float[] dx = new float[dy.length];
        int before = (size - 1) / 2;
        int after = size / 2;
        float k = 2f * alpha * beta / size;
        Parallel.forEach(n, context.threads(), b -> {
            int base = b * channels * area;
            for (int c = 0; c < channels; c++) {
                // channel c appears in the windows of channels j with j - before <= c <= j + after
                int lo = Math.max(0, c - after);
                int hi = Math.min(channels - 1, c + before);
                for (int i = 0; i < area; i++) {
                    int o = base + c * area + i;
                    double g = dy[o] * Math.pow(scale[o], -beta);
                    double cross = 0;
                    for (int j = lo; j <= hi; j++) {
                        int q = base + j * area + i;
                        cross += dy[q] * input[q] * Math.pow(scale[q], -beta - 1);
                    }
                    dx[o] = (float) (g - k * input[o] * cross);
                }
            }
        });
        return Tensor.of(inputShape().withBatch(n), dx);
    }
}
