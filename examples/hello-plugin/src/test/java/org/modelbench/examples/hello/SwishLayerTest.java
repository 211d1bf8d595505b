package org.modelbench.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modelbench.api.ConfigException;
import org.modelbench.api.Layer;
import org.modelbench.api.LayerContext;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

class SwishLayerTest {

    @Test
    void forwardIsXTimesSigmoidOfBetaX() {
        Layer swish = new SwishLayerProvider().create(new SwishConfig(2.0), Shape.of(3), 0);
        Tensor y = swish.forward(Tensor.of(Shape.of(1, 3), new float[] {-1f, 0f, 1.5f}), LayerContext.inference());
        assertEquals(-1 / (1 + Math.exp(2)), y.data()[0], 1e-6);
        assertEquals(0, y.data()[1], 0);
        assertEquals(1.5 / (1 + Math.exp(-3)), y.data()[2], 1e-6);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Shape shape = Shape.of(2, 3, 3);
        Layer swish = new SwishLayerProvider().create(new SwishConfig(1.3), shape, 0);
        java.util.Random random = new java.util.Random(4);
        float[] x = new float[2 * shape.size()];
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 2);
            r[i] = (float) random.nextGaussian();
        }
        LayerContext training = new LayerContext(true, 0, 1);
        swish.forward(Tensor.of(shape.withBatch(2), x), training);
        float[] dx = swish.backward(Tensor.of(shape.withBatch(2), r), training).data();
        // the loss sum(r * y): its gradient at x[i] by central differences, in double
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double s1 = 1 / (1 + Math.exp(-1.3 * (xi + h)));
            double s0 = 1 / (1 + Math.exp(-1.3 * (xi - h)));
            double numeric = r[i] * ((xi + h) * s1 - (xi - h) * s0) / (2 * h);
            double err = Math.abs(numeric - dx[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(dx[i]));
            assertTrue(err < 1e-3, "element " + i + ": analytic " + dx[i] + ", numeric " + numeric);
        }
    }

    @Test
    void configBindsWithADefaultAndNamesABadKey() {
        assertEquals(1.0, RecordBinder.bind(Map.of(), SwishConfig.class, "layers[1]").beta());
        ConfigException e = assertThrows(ConfigException.class,
                () -> RecordBinder.bind(Map.of("beta", -2), SwishConfig.class, "layers[1]"));
        assertTrue(e.getMessage().contains("beta") && e.getMessage().contains("> 0"), e.getMessage());
    }
}
