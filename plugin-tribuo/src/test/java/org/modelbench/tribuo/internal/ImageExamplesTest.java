package org.modelbench.tribuo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;

class ImageExamplesTest {

    private static Dataset tiny() {
        float[] x = new float[3 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 5; // includes zeros, which must be kept
        }
        return new Dataset("tiny", Tensor.of(Shape.of(3, 1, 3, 4), x), new int[] {2, 0, 2}, List.of("a", "b", "c"),
                Map.of());
    }

    @Test
    void everyElementIsANamedDenseFeatureInElementOrder() {
        Dataset data = tiny();
        MutableDataset<Label> tribuo = new ImageExamples(data.sampleShape()).toTribuo(data);
        assertEquals(3, tribuo.size());
        assertEquals(12, tribuo.getFeatureIDMap().size());
        assertTrue(tribuo.isDense());
        Example<Label> second = tribuo.getExample(1);
        assertEquals("a", second.getOutput().getLabel());
        int j = 0;
        for (Feature f : second) {
            assertEquals(String.format("f%02d", j), f.getName());
            assertEquals(data.features().data()[12 + j], f.getValue());
            j++;
        }
        assertEquals(12, j);
        assertEquals("c", tribuo.getExample(2).getOutput().getLabel());
    }

    @Test
    void examplesAreReadOnlyViewsOfTheTensorThatCopyIntoOrdinaryExamples() {
        Dataset data = tiny();
        MutableDataset<Label> tribuo = new ImageExamples(data.sampleShape()).toTribuo(data);
        var a = (TensorRowExample) tribuo.getExample(0);
        var b = (TensorRowExample) tribuo.getExample(1);
        assertTrue(a.namesView() == b.namesView() && a.dataView() == data.features().data());
        assertEquals(12, b.offset());
        assertThrows(UnsupportedOperationException.class, () -> a.add(new org.tribuo.Feature("g", 1.0)));
        var copy = a.copy();
        copy.add(new org.tribuo.Feature("g", 1.0));
        assertEquals(13, copy.size());
        assertEquals(12, a.size());
        assertEquals(a.lookup("f11").getValue(), copy.lookup("f11").getValue());
        assertEquals(null, a.lookup("g"));
    }

    @Test
    void refusesABatchOfAnotherShape() {
        ImageExamples adapter = new ImageExamples(Shape.of(1, 28, 28));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> adapter.unlabelled(Tensor.zeros(Shape.of(2, 1, 27, 28)), 0, 2));
        assertEquals("batch: expected samples of shape 1x28x28 (a batch [N, 1x28x28]), got 2x1x27x28", e.getMessage());
    }

    @Test
    void refusesNaNNamingTheRowAndElement() {
        Tensor batch = Tensor.zeros(Shape.of(3, 2));
        batch.set(Float.NaN, 2, 1);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new ImageExamples(Shape.of(2)).unlabelled(batch, 0, 3));
        assertTrue(e.getMessage().startsWith("batch: row 2, element 1 is NaN"), e.getMessage());
    }

    @Test
    void refusesDuplicateClassNames() {
        Dataset data = new Dataset("dup", Tensor.zeros(Shape.of(1, 2)), new int[] {0}, List.of("x", "x"), Map.of());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new ImageExamples(Shape.of(2)).toTribuo(data));
        assertTrue(e.getMessage().contains("class name 'x' occurs twice"), e.getMessage());
    }
}
