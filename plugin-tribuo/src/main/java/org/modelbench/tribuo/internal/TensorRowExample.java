package org.modelbench.tribuo.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.FeatureMap;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ExampleProto;
import org.tribuo.transform.TransformerMap;
import org.tribuo.util.Merger;

/**
 * A read-only Tribuo example that is a view of one row of a platform tensor: feature {@code j} is
 * named {@code names[j]} (sorted, shared by every row of an adapter) and has the value
 * {@code data[offset + j]} widened to double. No values are copied, so a 60,000-row MNIST dataset
 * costs the tensor it already is plus one small object per row (a copied {@code double[]} per row
 * would be 376 MB).
 *
 * <p>Tribuo reads examples through {@link #iterator()}, {@link #lookup}, {@link #size()} and the
 * output and weight; {@link #copy()} gives an ordinary mutable {@link ArrayExample}. Every method that
 * would change the features throws {@link UnsupportedOperationException}. The caller keeps the
 * tensor unchanged while the example is in use and guarantees the values are not NaN.
 */
final class TensorRowExample extends Example<Label> {
    private static final long serialVersionUID = 1L;

    private final String[] names;
    private final float[] data;
    private final int offset;

    /**
     * @param names  feature names in strictly increasing order; shared, never modified
     * @param data   the tensor's values, row-major; never modified while this example lives
     * @param offset index of this row's first value in {@code data}
     */
    TensorRowExample(Label label, String[] names, float[] data, int offset) {
        super(label);
        this.names = names;
        this.data = data;
        this.offset = offset;
    }

    /** The shared name array (read only). */
    String[] namesView() {
        return names;
    }

    /** The tensor's values (read only); this row starts at {@link #offset()}. */
    float[] dataView() {
        return data;
    }

    int offset() {
        return offset;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Iterator<Feature> iterator() {
        return new Iterator<>() {
            private int j;

            @Override
            public boolean hasNext() {
                return j < names.length;
            }

            @Override
            public Feature next() {
                if (j >= names.length) {
                    throw new NoSuchElementException();
                }
                Feature f = new Feature(names[j], data[offset + j]);
                j++;
                return f;
            }
        };
    }

    @Override
    public Feature lookup(String name) {
        int j = Arrays.binarySearch(names, name);
        return j >= 0 ? new Feature(names[j], data[offset + j]) : null;
    }

    @Override
    public boolean validateExample() {
        if (names.length == 0) {
            return false;
        }
        for (int j = 0; j < names.length; j++) {
            if (Float.isNaN(data[offset + j])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isDense(FeatureMap featureMap) {
        if (featureMap.size() != names.length) {
            return false;
        }
        for (String name : names) {
            if (featureMap.get(name) == null) {
                return false;
            }
        }
        return true;
    }

    /** Names are the adapter's already; nothing to intern. */
    @Override
    public void canonicalize(FeatureMap featureMap) {
    }

    @Override
    public Example<Label> copy() {
        double[] values = new double[names.length];
        for (int j = 0; j < values.length; j++) {
            values[j] = data[offset + j];
        }
        ArrayExample<Label> copy = new ArrayExample<>(getOutput(), names.clone(), values);
        copy.setWeight(getWeight());
        return copy;
    }

    @Override
    public ExampleProto serialize() {
        return copy().serialize();
    }

    @Override
    protected void sort() {
        // Names are sorted by construction.
    }

    @Override
    public void add(Feature feature) {
        throw readOnly();
    }

    @Override
    public void addAll(Collection<? extends Feature> features) {
        throw readOnly();
    }

    @Override
    public void removeFeatures(List<Feature> featureList) {
        throw readOnly();
    }

    @Override
    public void reduceByName(Merger merger) {
        throw readOnly();
    }

    @Override
    public void transform(TransformerMap transformerMap) {
        throw readOnly();
    }

    @Override
    protected void densify(List<String> featureList) {
        throw readOnly();
    }

    @Override
    public void set(Feature feature) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a modelbench tensor row is read-only; copy() it first");
    }
}
