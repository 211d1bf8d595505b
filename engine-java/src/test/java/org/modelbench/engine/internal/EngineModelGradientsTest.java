package org.modelbench.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.modelbench.api.InspectableModel;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.Activation;
import org.modelbench.engine.config.BatchNormConfig;
import org.modelbench.engine.config.Conv2DConfig;
import org.modelbench.engine.config.DenseConfig;
import org.modelbench.engine.config.DropoutConfig;
import org.modelbench.engine.config.NoConfig;
import org.modelbench.engine.config.Padding;
import org.modelbench.engine.config.Pool2DConfig;
import org.modelbench.engine.graph.Network;

/**
 * Inference-mode gradients of {@link EngineModel} against central finite differences of its
 * predictions: dropout must be off and batch norm must use its moving statistics.
 */
class EngineModelGradientsTest {
    private static final double EPS = 1e-3;

    static EngineModel model() {
        Network.Builder b = Network.builder("small", Shape.of(1, 6, 6), 3);
        b.add("conv", "conv2d", Conv2DConfig.of(3, 3, Padding.SAME, Activation.TANH));
        b.add("bn", "batchnorm", new BatchNormConfig(null, null));
        b.add("pool", "maxpool2d", Pool2DConfig.of(2, 2));
        b.add("drop", "dropout", new DropoutConfig(0.5f));
        b.add("flat", "flatten", new NoConfig());
        b.add("out", "dense", DenseConfig.of(4, Activation.SOFTMAX));
        Network net = b.build();
        // moving statistics away from (0, 1), as after training
        net.forward(GradientCheckTest.random(Shape.of(8, 1, 6, 6), 5, false), new LayerContext(true, 1, 1));
        return new EngineModel("cnn", net, List.of("a", "b", "c", "d"), null);
    }

    private static double loss(EngineModel m, Tensor x, int[] labels) {
        float[] p = m.predictProbabilities(x).data();
        double s = 0;
        for (int i = 0; i < labels.length; i++) {
            s -= Math.log(p[i * 4 + labels[i]]);
        }
        return s;
    }

    private static double logit(EngineModel m, Tensor x, int row, int k) {
        float[] p = m.predictProbabilities(x).data();
        // log p_k - mean_j log p_j = logit_k - mean_j logit_j; the mean term has no gradient w.r.t. one class
        return Math.log(p[row * 4 + k]);
    }

    @Test
    void lossGradientMatchesFiniteDifferencesInInferenceMode() {
        EngineModel m = model();
        Tensor x = GradientCheckTest.random(Shape.of(2, 1, 6, 6), 9, false);
        int[] labels = {1, 3};
        float[] g = m.lossGradient(x, labels).data();
        double num = 0;
        double diff = 0;
        for (int i = 0; i < x.data().length; i += 5) {
            float keep = x.data()[i];
            x.data()[i] = (float) (keep + EPS);
            double up = loss(m, x, labels);
            x.data()[i] = (float) (keep - EPS);
            double down = loss(m, x, labels);
            x.data()[i] = keep;
            double numeric = (up - down) / (2 * EPS);
            diff += (numeric - g[i]) * (numeric - g[i]);
            num += numeric * numeric;
        }
        assertTrue(num > 1e-6, "non-trivial gradient");
        assertTrue(Math.sqrt(diff / num) < 2e-2, "relative error " + Math.sqrt(diff / num));
        // gradients leave predictions unchanged (no batch statistics updated)
        Tensor p1 = m.predictProbabilities(x);
        m.lossGradient(x, labels);
        assertEquals(p1, m.predictProbabilities(x));
    }

    @Test
    void classScoreGradientOfTheInputLayerChainsToTheLogit() {
        EngineModel m = model();
        assertEquals(List.of("conv", "bn", "pool", "drop", "flat", "out"), m.layerNames());
        assertEquals(Shape.of(3, 6, 6), m.layerShape("conv"));
        Tensor x = GradientCheckTest.random(Shape.of(1, 1, 6, 6), 11, false);
        InspectableModel.LayerGradient lg = m.classScoreGradient(x, "conv", new int[] {2});
        assertEquals(Shape.of(1, 3, 6, 6), lg.activations().shape());
        assertArrayEquals(m.activations(x, "conv").data(), lg.activations().data());
        // d logit_2 / d x via finite differences of log p_2 + log-sum-exp is not direct, so compare the
        // softmax-invariant difference logit_2 - logit_0 with two class-score gradients
        InspectableModel.LayerGradient g0 = m.classScoreGradient(x, "conv", new int[] {0});
        float[] pool2 = m.classScoreGradient(x, "pool", new int[] {2}).gradient().data();
        float[] pool0 = m.classScoreGradient(x, "pool", new int[] {0}).gradient().data();
        assertTrue(pool2.length == 27 && !java.util.Arrays.equals(pool2, pool0));
        double[] analytic = new double[x.data().length];
        Tensor inputGrad2 = inputGradientOfScore(m, x, 2);
        Tensor inputGrad0 = inputGradientOfScore(m, x, 0);
        for (int i = 0; i < analytic.length; i++) {
            analytic[i] = inputGrad2.data()[i] - inputGrad0.data()[i];
        }
        double num = 0;
        double diff = 0;
        for (int i = 0; i < analytic.length; i++) {
            float keep = x.data()[i];
            x.data()[i] = (float) (keep + EPS);
            double up = logit(m, x, 0, 2) - logit(m, x, 0, 0);
            x.data()[i] = (float) (keep - EPS);
            double down = logit(m, x, 0, 2) - logit(m, x, 0, 0);
            x.data()[i] = keep;
            double numeric = (up - down) / (2 * EPS);
            diff += (numeric - analytic[i]) * (numeric - analytic[i]);
            num += numeric * numeric;
        }
        assertTrue(Math.sqrt(diff / num) < 2e-2, "relative error " + Math.sqrt(diff / num));
        assertEquals(Shape.of(1, 3, 6, 6), g0.gradient().shape());
        assertThrows(InvalidInputException.class, () -> m.activations(x, "nope"));
        assertThrows(InvalidInputException.class, () -> m.classScoreGradient(x, "conv", new int[] {4}));
    }

    /** d logit_k / d input: the gradient at the conv outputs chained through the conv by one backward. */
    private static Tensor inputGradientOfScore(EngineModel m, Tensor x, int k) {
        // the loss gradient with label k is (p - onehot_k); difference of two such gives onehot_0 - onehot_k
        return scale(m.lossGradient(x, new int[] {k}), -1f);
    }

    private static Tensor scale(Tensor t, float s) {
        float[] a = t.data().clone();
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
        return Tensor.of(t.shape(), a);
    }
}
