package org.modelbench.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modelbench.api.Layer;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.LayerProvider;

/**
 * The contract every {@link LayerProvider} keeps, as JUnit 5 tests. Extend it in a test class of
 * your plugin, return your provider from {@link #provider()}, and say which {@link #spec()} and
 * {@link #inputShape()} to test:
 *
 * <pre>{@code
 * class GeluContractTest extends LayerContract<GeluConfig> {
 *     protected LayerProvider<GeluConfig> provider() { return new GeluProvider(); }
 * }
 * }</pre>
 *
 * <p>The tests: {@code outputShape} agrees with the created layer, forward gives
 * {@code [N, ...outputShape]} and backward {@code [N, ...inputShape]}; the input gradient and every
 * trainable parameter's gradient match central finite differences of the loss
 * {@code sum(r * forward(x))} in training mode with one fixed batch seed (so random masks stay put and
 * batch statistics are part of the function); a layer created with the same config and seed has the same parameters; a layer rebuilt
 * the way a saved model rebuilds it (config through its tree form, parameter values copied) gives
 * bit-identical output; forward does not modify its input.
 *
 * @param <C> the layer's configuration record
 */
public abstract class LayerContract<C extends Record> {
    private static final int BATCH = 2;

    /** The provider under test. */
    protected abstract LayerProvider<C> provider();

    /** The layer spec's keys other than {@code type}, as a manifest gives them; default none. */
    protected Map<String, Object> spec() {
        return Map.of();
    }

    /** The per-sample input shape; default {@code 2x5x5}. */
    protected Shape inputShape() {
        return Shape.of(2, 5, 5);
    }

    /** The scale of the input values; default 1. */
    protected double inputScale() {
        return 1.0;
    }

    /** The finite-difference step; default {@code 1e-2}. */
    protected double step() {
        return 1e-2;
    }

    /** The largest accepted relative difference between analytic and numeric gradients; default 2e-2. */
    protected double tolerance() {
        return 2e-2;
    }

    /** The configuration under test: {@link #spec()} bound to the layer's record. */
    protected final C config() {
        return RecordBinder.bind(spec(), provider().configType(), "layers[0]");
    }

    private Layer layer(long seed) {
        return provider().create(config(), inputShape(), seed);
    }

    /** Values in {@code ±[0.1, 1] * inputScale()}: away from the kinks at 0 (relu and friends). */
    private Tensor input() {
        float[] x = ContractData.uniform(BATCH * inputShape().size(), 1, 3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (Math.signum(x[i]) * (0.1 + 0.9 * Math.abs(x[i])) * inputScale());
        }
        return Tensor.of(inputShape().withBatch(BATCH), x);
    }

    private static LayerContext gradients() {
        return LayerContext.inferenceWithGradients(1);
    }

    /** Training mode with a fixed batch seed: the function the gradient tests differentiate. */
    private static LayerContext training() {
        return new LayerContext(true, 42, 1);
    }

    @Test
    void shapesFollowTheShapeContract() {
        Layer layer = layer(1);
        Shape out = provider().outputShape(config(), inputShape());
        assertEquals(inputShape(), layer.inputShape(), "inputShape()");
        assertEquals(out, layer.outputShape(), "the created layer's output shape is outputShape(config, input)");
        Tensor x = input();
        float[] before = x.data().clone();
        Tensor y = layer.forward(x, gradients());
        assertEquals(out.withBatch(BATCH), y.shape(), "forward gives [N, ...outputShape]");
        assertArrayEquals(before, x.data(), "forward leaves its input unchanged");
        Tensor dx = layer.backward(Tensor.of(y.shape(), ContractData.uniform(y.data().length, 1, 4)), gradients());
        assertEquals(inputShape().withBatch(BATCH), dx.shape(), "backward gives [N, ...inputShape]");
        Tensor inference = layer(1).forward(x, LayerContext.inference());
        assertArrayEquals(y.data(), inference.data(), "keeping what backward needs does not change the output");
        assertEquals(layer.parameters().stream().mapToLong(Parameter::size).sum(), layer.parameterCount());
    }

    @Test
    void theInputGradientMatchesFiniteDifferences() {
        Layer layer = layer(1);
        Tensor x = input();
        float[] r = ContractData.uniform(provider().outputShape(config(), inputShape()).size() * BATCH, 1, 5);
        layer.forward(x, training());
        float[] analytic = layer.backward(Tensor.of(provider().outputShape(config(), inputShape()).withBatch(BATCH), r),
                training()).data().clone();
        List<String> wrong = new ArrayList<>();
        compareWithDifferences(wrong, "input", x.data(), analytic, layer, x, r);
        assertEquals(List.of(), wrong, "input gradients vs central differences");
    }

    @Test
    void parameterGradientsMatchFiniteDifferences() {
        Layer layer = layer(1);
        Tensor x = input();
        Shape out = provider().outputShape(config(), inputShape());
        float[] r = ContractData.uniform(out.size() * BATCH, 1, 6);
        List<String> wrong = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            if (!p.trainable()) {
                continue;
            }
            java.util.Arrays.fill(p.gradient().data(), 0f);
            layer.forward(x, training());
            layer.backward(Tensor.of(out.withBatch(BATCH), r), training());
            compareWithDifferences(wrong, p.name(), p.value().data(), p.gradient().data().clone(), layer, x, r);
        }
        assertEquals(List.of(), wrong, "parameter gradients vs central differences");
    }

    @Test
    void aLayerRebuiltFromItsConfigTreeAndParametersGivesTheSameOutput() {
        Layer original = layer(7);
        List<Parameter> params = original.parameters();
        for (int k = 0; k < params.size(); k++) {
            float[] v = params.get(k).value().data();
            System.arraycopy(ContractData.uniform(v.length, 0.5, 100 + k), 0, v, 0, v.length);
        }
        Layer same = layer(7);
        for (int k = 0; k < params.size(); k++) {
            assertEquals(params.get(k).name(), same.parameters().get(k).name(), "parameters in a stable order");
        }
        assertEquals(List.of(), differences(layer(7), same), "the same config and seed give the same parameters");
        C reread = RecordBinder.bind(RecordBinder.toTree(config()), provider().configType(), "layers[0]");
        assertEquals(config(), reread, "the config survives its tree form (as saved models store it)");
        Layer rebuilt = provider().create(reread, inputShape(), 99);
        assertEquals(params.size(), rebuilt.parameters().size());
        for (int k = 0; k < params.size(); k++) {
            Parameter to = rebuilt.parameters().get(k);
            assertEquals(params.get(k).value().shape(), to.value().shape(), "parameter " + to.name());
            System.arraycopy(params.get(k).value().data(), 0, to.value().data(), 0, to.value().data().length);
        }
        Tensor x = input();
        assertArrayEquals(original.forward(x, LayerContext.inference()).data(),
                rebuilt.forward(x, LayerContext.inference()).data(), "rebuilt from config and parameters");
    }

    private static List<String> differences(Layer a, Layer b) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < a.parameters().size(); k++) {
            if (!java.util.Arrays.equals(a.parameters().get(k).value().data(), b.parameters().get(k).value().data())) {
                out.add(a.parameters().get(k).name());
            }
        }
        return out;
    }

    /**
     * Compares {@code analytic} (the gradient of the loss with respect to {@code values}, which the
     * layer reads: its input or a parameter) with central differences at up to 48 probes.
     */
    private void compareWithDifferences(List<String> wrong, String what, float[] values, float[] analytic, Layer layer,
                                        Tensor x, float[] r) {
        for (int i : probes(values.length)) {
            float keep = values[i];
            values[i] = (float) (keep + step());
            double up = loss(layer, x, r);
            values[i] = (float) (keep - step());
            double down = loss(layer, x, r);
            values[i] = keep;
            check(wrong, what + "[" + i + "]", analytic[i], (up - down) / (2 * step()));
        }
    }

    private double loss(Layer layer, Tensor x, float[] r) {
        float[] y = layer.forward(x, training()).data();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += (double) r[i] * y[i];
        }
        return sum;
    }

    private void check(List<String> wrong, String what, double analytic, double numeric) {
        double scale = Math.max(1e-2, Math.abs(analytic) + Math.abs(numeric));
        if (Math.abs(analytic - numeric) / scale > tolerance()) {
            wrong.add(what + ": analytic " + analytic + ", numeric " + numeric);
        }
    }

    /** Up to 48 indices spread over {@code [0, n)}, always including the first and the last. */
    private static int[] probes(int n) {
        int count = Math.min(n, 48);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = count == 1 ? 0 : (int) ((long) i * (n - 1) / (count - 1));
        }
        return out;
    }
}
