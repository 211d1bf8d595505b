package org.modelbench.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorAndShapeTest {
    @Test
    void shapeValidatesAndDescribesItself() {
        Shape s = Shape.of(2, 1, 28, 28);
        assertEquals(1568, s.size());
        assertEquals("1x28x28", s.withoutBatch().toString());
        assertEquals(28, s.dim(-1));
        assertEquals(s, s.withoutBatch().withBatch(2));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(3, 0));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(100_000, 100_000));
    }

    @Test
    void tensorSlicesGathersAndIndexesRowMajor() {
        Tensor t = Tensor.of(Shape.of(3, 2), new float[] {0, 1, 2, 3, 4, 5});
        assertEquals(3f, t.get(1, 1));
        assertArrayEquals(new float[] {2, 3, 4, 5}, t.slice(1, 3).data());
        assertArrayEquals(new float[] {4, 5, 0, 1}, t.gather(new int[] {2, 0}).data());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(Shape.of(2), new float[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(3, 0));
    }

    @Test
    void evaluationComputesAccuracyConfusionAndPerClassScores() {
        // Three classes; labels 0,0,1,2 predicted 0,1,1,2.
        Tensor p = Tensor.of(Shape.of(4, 3), new float[] {
            0.8f, 0.1f, 0.1f,
            0.3f, 0.6f, 0.1f,
            0.2f, 0.7f, 0.1f,
            0.1f, 0.1f, 0.8f});
        Evaluation e = Evaluation.of(List.of("a", "b", "c"), new int[] {0, 0, 1, 2}, p);
        assertEquals(0.75, e.accuracy());
        assertArrayEquals(new long[] {1, 1, 0}, e.confusion()[0]);
        assertArrayEquals(new double[] {1.0, 0.5, 1.0}, e.precision());
        assertArrayEquals(new double[] {0.5, 1.0, 1.0}, e.recall());
        assertEquals(2.0 / 3, e.f1()[0], 1e-12);
        double logLoss = -(Math.log(0.8f) + Math.log(0.3f) + Math.log(0.7f) + Math.log(0.8f)) / 4;
        assertEquals(logLoss, e.logLoss(), 1e-6);
        assertArrayEquals(new int[] {0, 1, 1, 2}, e.predictions());
    }

    @Test
    void datasetValidatesLabels() {
        Tensor x = Tensor.zeros(Shape.of(2, 1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("d", x, new int[] {0, 5}, List.of("a", "b"), Map.of()));
        assertEquals("dataset d: label 5 at row 1 outside [0, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dataset("d", x, new int[] {0}, List.of("a"), Map.of()));
    }

    @Test
    void derivedSeedsDifferByPurposeAndAreStable() {
        RunContext c = RunContext.of(42);
        assertEquals(c.derivedSeed("init"), RunContext.of(42).derivedSeed("init"));
        org.junit.jupiter.api.Assertions.assertNotEquals(c.derivedSeed("init"), c.derivedSeed("shuffle"));
        org.junit.jupiter.api.Assertions.assertNotEquals(c.derivedSeed("init"), RunContext.of(43).derivedSeed("init"));
    }
}
