package org.modelbench.engine.internal;

import java.util.ArrayList;
import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.Activation;
import org.modelbench.engine.config.DenseConfig;
import org.modelbench.engine.kernels.Sgemm;

/**
 * {@code y = act(x W + b)}: input {@code [N, in]}, kernel {@code [in, units]}, bias {@code [units]},
 * output {@code [N, units]}.
 */
public final class DenseLayer extends FusedActivationLayer implements ParameterGradients {
    private final int in;
    private final int units;
    private final Parameter kernel;
    private final Parameter bias;
    private Tensor input;

    DenseLayer(DenseConfig config, Shape inputShape, long seed) {
        this(config, inputShape, seed, parameters(config, inputShape, seed));
    }

    private DenseLayer(DenseConfig config, Shape inputShape, long seed, List<Parameter> params) {
        super("dense", inputShape, Shape.of(config.units()), params, config.activation());
        this.in = inputShape.dim(0);
        this.units = config.units();
        this.kernel = params.get(0);
        this.bias = params.size() > 1 ? params.get(1) : null;
    }

    private static List<Parameter> parameters(DenseConfig config, Shape inputShape, long seed) {
        int in = inputShape.dim(0);
        List<Parameter> params = new ArrayList<>();
        Tensor w = Init.fill(Tensor.zeros(Shape.of(in, config.units())), config.initializer(), in, config.units(), seed);
        params.add(new Parameter("kernel", w, config.l2()));
        if (config.useBias()) {
            params.add(new Parameter("bias", Tensor.zeros(Shape.of(config.units())), 0f));
        }
        return params;
    }

    @Override
    public Tensor forward(Tensor x, LayerContext context) {
        int n = checkInput(x);
        float[] out = new float[n * units];
        if (context.training()) {
            Sgemm.gemm(false, false, n, units, in, x.data(), 0, in, kernel.value().data(), 0, units, out, 0, units,
                    false, context.threads());
        } else {
            // inference: the batch is the rows of the product, and a sample's result must not depend on its batch
            // (Network.predict's contract), which the Java kernels keep and OpenBLAS does not
            Sgemm.javaGemm(false, false, n, units, in, x.data(), 0, in, kernel.value().data(), 0, units, out, 0, units,
                    false, context.threads());
        }
        if (bias != null) {
            float[] b = bias.value().data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < units; j++) {
                    out[i * units + j] += b[j];
                }
            }
        }
        Tensor logits = activation == Activation.SOFTMAX ? Tensor.of(outputBatch(n), out.clone()) : null;
        for (int i = 0; i < n; i++) {
            Activations.apply(activation, LEAKY_SLOPE, out, i * units, units);
        }
        Tensor y = Tensor.of(outputBatch(n), out);
        input = context.keepsForBackward() ? x : null;
        remember(y, logits, context);
        return y;
    }

    @Override
    public Tensor backwardFromLogits(Tensor logitGradient, LayerContext context) {
        return backwardImpl(logitGradient, context, true);
    }

    @Override
    public void backwardParameters(Tensor outputGradient, LayerContext context) {
        Tensor y = lastOutput();
        float[] dz = Activations.backwardBatch(activation, LEAKY_SLOPE, y.data(), outputGradient.data(), y.batchSize(),
                units);
        backwardImpl(Tensor.of(outputBatch(y.batchSize()), dz), context, false);
    }

    /** Backward from the gradient at the logits; the input gradient (else null) when {@code inputGradient}. */
    private Tensor backwardImpl(Tensor logitGradient, LayerContext context, boolean inputGradient) {
        requireForward(input, type());
        int n = input.batchSize();
        float[] dz = logitGradient.data();
        if (kernel.trainable()) {
            Sgemm.gemm(true, false, in, units, n, input.data(), 0, in, dz, 0, units, kernel.gradient().data(), 0,
                    units, true, context.threads());
        }
        if (bias != null && bias.trainable()) {
            float[] db = bias.gradient().data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < units; j++) {
                    db[j] += dz[i * units + j];
                }
            }
        }
        if (!inputGradient) {
            return null;
        }
        float[] dx = new float[n * in];
        Sgemm.gemm(false, true, n, in, units, dz, 0, units, kernel.value().data(), 0, units, dx, 0, in, false,
                context.threads());
        return Tensor.of(inputShape().withBatch(n), dx);
    }
}
