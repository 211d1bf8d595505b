package org.modelbench.engine.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.BatchNormConfig;
import org.modelbench.engine.graph.StatefulLayer;
import org.modelbench.engine.kernels.Parallel;

/**
 * Batch normalisation over axis 0 of each sample (channels of CHW, features of flat inputs):
 * {@code y = gamma * (x - mean) / sqrt(var + eps) + beta}. Statistics are summed in double, channel
 * by channel, in a fixed order.
 */
public final class BatchNormLayer extends BaseLayer implements StatefulLayer {
    private final int channels;
    private final int area;
    private final float momentum;
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor movingMean;
    private final Tensor movingVariance;
    private float[] normalized;
    private float[] inverseStd;
    /** Whether the last forward used the moving statistics (inference with gradients). */
    private boolean frozenStatistics;

    BatchNormLayer(BatchNormConfig config, Shape inputShape) {
        this(config, inputShape, List.of(new Parameter("gamma", filled(inputShape.dim(0), 1f), 0f),
                new Parameter("beta", Tensor.zeros(Shape.of(inputShape.dim(0))), 0f)));
    }

    private BatchNormLayer(BatchNormConfig config, Shape inputShape, List<Parameter> params) {
        super("batchnorm", inputShape, inputShape, params);
        this.channels = inputShape.dim(0);
        this.area = inputShape.size() / channels;
        this.momentum = config.momentum();
        this.epsilon = config.epsilon();
        this.gamma = params.get(0);
        this.beta = params.get(1);
        this.movingMean = Tensor.zeros(Shape.of(channels));
        this.movingVariance = filled(channels, 1f);
    }

    private static Tensor filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return Tensor.of(Shape.of(n), a);
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("moving_mean", movingMean);
        state.put("moving_variance", movingVariance);
        return state;
    }

    @Override
    public Tensor forward(Tensor input, LayerContext context) {
        int n = checkInput(input);
        float[] x = input.data();
        float[] y = new float[x.length];
        float[] gm = gamma.value().data();
        float[] bt = beta.value().data();
        boolean training = context.training();
        float[] xhat = context.keepsForBackward() ? new float[x.length] : null;
        float[] inv = new float[channels];
        Parallel.forEach(channels, context.threads(), c -> {
            float mean;
            float var;
            if (training) {
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    int o = (s * channels + c) * area;
                    for (int i = 0; i < area; i++) {
                        sum += x[o + i];
                    }
                }
                double m = sum / ((double) n * area);
                double sq = 0;
                for (int s = 0; s < n; s++) {
                    int o = (s * channels + c) * area;
                    for (int i = 0; i < area; i++) {
                        double d = x[o + i] - m;
                        sq += d * d;
                    }
                }
                mean = (float) m;
                var = (float) (sq / ((double) n * area));
                movingMean.data()[c] = momentum * movingMean.data()[c] + (1 - momentum) * mean;
                movingVariance.data()[c] = momentum * movingVariance.data()[c] + (1 - momentum) * var;
            } else {
                mean = movingMean.data()[c];
                var = movingVariance.data()[c];
            }
            float is = (float) (1.0 / Math.sqrt(var + epsilon));
            inv[c] = is;
            for (int s = 0; s < n; s++) {
                int o = (s * channels + c) * area;
                for (int i = 0; i < area; i++) {
                    float h = (x[o + i] - mean) * is;
                    if (xhat != null) {
                        xhat[o + i] = h;
                    }
                    y[o + i] = gm[c] * h + bt[c];
                }
            }
        });
        normalized = xhat;
        inverseStd = inv;
        frozenStatistics = !training;
        return Tensor.of(outputBatch(n), y);
    }

    @Override
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        requireForward(normalized, type());
        float[] dy = outputGradient.data();
        int n = outputGradient.batchSize();
        float[] dx = new float[dy.length];
        float[] gm = gamma.value().data();
        if (frozenStatistics) {
            // the moving statistics are constants: y = gamma * (x - mean) * inv + beta
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < channels; c++) {
                    int o = (s * channels + c) * area;
                    float k = gm[c] * inverseStd[c];
                    for (int i = 0; i < area; i++) {
                        dx[o + i] = k * dy[o + i];
                    }
                }
            }
            return Tensor.of(inputShape().withBatch(n), dx);
        }
        float[] dg = gamma.gradient().data();
        float[] db = beta.gradient().data();
        double count = (double) n * area;
        Parallel.forEach(channels, context.threads(), c -> {
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int s = 0; s < n; s++) {
                int o = (s * channels + c) * area;
                for (int i = 0; i < area; i++) {
                    sumDy += dy[o + i];
                    sumDyXhat += (double) dy[o + i] * normalized[o + i];
                }
            }
            if (gamma.trainable()) {
                dg[c] += (float) sumDyXhat;
            }
            if (beta.trainable()) {
                db[c] += (float) sumDy;
            }
            double k = gm[c] * inverseStd[c] / count;
            for (int s = 0; s < n; s++) {
                int o = (s * channels + c) * area;
                for (int i = 0; i < area; i++) {
                    dx[o + i] = (float) (k * (count * dy[o + i] - sumDy - normalized[o + i] * sumDyXhat));
                }
            }
        });
        return Tensor.of(inputShape().withBatch(n), dx);
    }
}
