package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.onnx.config.PreprocessingConfig;

/** Preprocessing and its adjoint (the gradient with respect to the raw images). */
class PreprocessingTest {

    private static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(shape, v);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** For the linear part L of apply (apply(x) - apply(0)), {@code <L x, g> = <x, L^T g>}. */
    private static void checkAdjoint(PreprocessingConfig config, Shape raw) {
        Tensor x = random(raw, 1);
        Tensor y = Preprocessing.apply(config, x);
        Tensor y0 = Preprocessing.apply(config, Tensor.zeros(raw));
        float[] linear = y.data().clone();
        for (int i = 0; i < linear.length; i++) {
            linear[i] -= y0.data()[i];
        }
        Tensor g = random(y.shape(), 2);
        Tensor back = Preprocessing.gradientToRaw(config, raw, g);
        double lhs = dot(linear, g.data());
        double rhs = dot(x.data(), back.data());
        assertEquals(lhs, rhs, 1e-4 * Math.max(1, Math.abs(lhs)), config.toString());
    }

    @Test
    void gradientToRawIsTheAdjointOfApplyThroughResizeGreyToRgbAndNormalisation() {
        checkAdjoint(new PreprocessingConfig(List.of(56, 40), true, 1 / 255f, List.of(0.5f, 0.4f, 0.3f),
                List.of(0.2f, 0.25f, 0.3f), "nhwc"), Shape.of(2, 1, 28, 28));
        checkAdjoint(new PreprocessingConfig(List.of(7, 9), false, 2f, null, null, null), Shape.of(3, 3, 16, 12));
        checkAdjoint(new PreprocessingConfig(null, true, 1f, List.of(0.1f), List.of(2f), null), Shape.of(1, 1, 5, 5));
    }
}
