package org.modelbench.tribuo.internal;

import java.util.Collection;
import java.util.List;
import org.tribuo.Feature;
import org.tribuo.FeatureMap;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.transform.TransformerMap;
import org.tribuo.util.Merger;

/**
 * A dense Tribuo example over a fixed, sorted feature-name array that all examples of one adapter
 * share (copy-on-write), so a 60,000-row dataset holds one name array instead of 60,000, and
 * construction skips {@link ArrayExample}'s per-example copy and boxed argsort.
 *
 * <p>Every method of {@link ArrayExample} that could change the names first takes a private copy, so
 * sharing is never observable.
 */
final class DenseExample extends ArrayExample<Label> {
    private boolean sharedNames;

    /**
     * @param label       the output (or the unknown label for prediction)
     * @param sortedNames feature names in strictly increasing order; shared, never modified here
     * @param values      one value per name; owned by this example from now on
     */
    DenseExample(Label label, String[] sortedNames, double[] values) {
        super(label, 1.0f, 0);
        this.featureNames = sortedNames;
        this.featureValues = values;
        this.size = sortedNames.length;
        this.sharedNames = true;
    }

    /** Whether this example and {@code other} currently share one name array. */
    boolean sharesNamesWith(DenseExample other) {
        return featureNames == other.featureNames;
    }

    private void ownNames() {
        if (sharedNames) {
            featureNames = featureNames.clone();
            sharedNames = false;
        }
    }

    /** Names are distinct by construction (strictly increasing), so only values need checking. */
    @Override
    public boolean validateExample() {
        if (size == 0) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (Double.isNaN(featureValues[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void canonicalize(FeatureMap featureMap) {
        for (int i = 0; i < size; i++) {
            VariableInfo info = featureMap.get(featureNames[i]);
            if (info != null && info.getName() != featureNames[i]) {
                ownNames();
                featureNames[i] = info.getName();
            }
        }
    }

    @Override
    public void add(String name, double value) {
        ownNames();
        super.add(name, value);
    }

    @Override
    public void add(Feature feature) {
        ownNames();
        super.add(feature);
    }

    @Override
    public void addAll(Collection<? extends Feature> features) {
        ownNames();
        super.addAll(features);
    }

    @Override
    public void removeFeatures(List<Feature> featureList) {
        ownNames();
        super.removeFeatures(featureList);
    }

    @Override
    public void reduceByName(Merger merger) {
        ownNames();
        super.reduceByName(merger);
    }

    @Override
    public void transform(TransformerMap transformerMap) {
        ownNames();
        super.transform(transformerMap);
    }

    @Override
    public void densify(List<String> featureList) {
        ownNames();
        super.densify(featureList);
    }

    @Override
    protected void sort() {
        ownNames();
        super.sort();
    }

    @Override
    protected void growArray(int minCapacity) {
        ownNames();
        super.growArray(minCapacity);
    }
}
