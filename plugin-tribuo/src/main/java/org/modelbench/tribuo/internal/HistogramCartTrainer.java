package org.modelbench.tribuo.internal;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.AbstractCARTTrainer;
import org.tribuo.common.tree.AbstractTrainingNode;
import org.tribuo.dataset.DatasetView;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * Tribuo's CART (its {@link AbstractCARTTrainer} loop: per-node feature sampling with the trainer's
 * RNG, depth and weight limits, conversion to {@code SplitNode}/{@code LeafNode}, a plain
 * {@code TreeModel}) growing {@link HistogramTrainingNode}s over quantised features with Gini
 * impurity. {@code useRandomSplitPoints} gives extra trees (one random threshold among the
 * occupied bins per feature).
 *
 * <p>Quantising is done once per dataset: {@link #prepare} bins a dataset, and training on it or
 * on a {@link DatasetView} of its examples (the bootstrap samples of Tribuo's bagging) reuses those
 * bins, with each view row's multiplicity as its weight; any other dataset is binned on the spot.
 * Training calls may run concurrently (each has its own RNG split and working buffers).
 */
final class HistogramCartTrainer extends AbstractCARTTrainer<Label> {
    private volatile BinnedRows prepared;

    /**
     * @param maxDepth                maximum depth, {@code Integer.MAX_VALUE} for unlimited
     * @param minChildWeight          smallest weight of a node that may be split
     * @param fractionFeaturesInSplit fraction of the features sampled at each split, in {@code (0, 1]}
     * @param useRandomSplitPoints    one random threshold per feature (extra trees)
     * @param seed                    seed of the feature sampling and split point RNG
     */
    HistogramCartTrainer(int maxDepth, float minChildWeight, float fractionFeaturesInSplit,
                         boolean useRandomSplitPoints, long seed) {
        super(maxDepth, minChildWeight, 0.0f, fractionFeaturesInSplit, useRandomSplitPoints, seed);
        postConfig();
    }

    /** Bins {@code data} for the training calls that follow (on it or on views of it); {@code null} forgets the bins. */
    void prepare(Dataset<Label> data) {
        prepared = data == null ? null : BinnedRows.of(data);
    }

    @Override
    protected AbstractTrainingNode<Label> mkTrainingNode(Dataset<Label> examples,
                                                         AbstractTrainingNode.LeafDeterminer leafDeterminer) {
        BinnedRows binned = prepared;
        float[] rowWeights;
        if (binned != null && examples instanceof DatasetView<Label> view && isViewOf(view, binned.source())) {
            rowWeights = new float[binned.rows()];
            float[] weights = binned.weights();
            for (int index : view.getExampleIndices()) {
                rowWeights[index] += weights[index];
            }
        } else {
            if (binned == null || !binned.isOf(examples)) {
                binned = BinnedRows.of(examples);
            }
            rowWeights = binned.weights().clone();
        }
        var tree = new HistogramTrainingNode.TreeRows(binned, examples.getOutputIDInfo(), rowWeights);
        return HistogramTrainingNode.root(tree, leafDeterminer);
    }

    /** Whether every example of {@code view} is the example of {@code source} its index names. */
    private static boolean isViewOf(DatasetView<Label> view, Dataset<Label> source) {
        int[] indices = view.getExampleIndices();
        if (indices.length != view.size() || !view.getFeatureIDMap().equals(source.getFeatureIDMap())) {
            return false;
        }
        var viewLabels = view.getOutputIDInfo();
        var sourceLabels = source.getOutputIDInfo();
        if (viewLabels.size() != sourceLabels.size()) {
            return false;
        }
        for (int id = 0; id < viewLabels.size(); id++) {
            if (!viewLabels.getOutput(id).equals(sourceLabels.getOutput(id))) {
                return false;
            }
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= source.size()) {
                return false;
            }
            Example<Label> e = view.getExample(i);
            if (e != source.getExample(indices[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "HistogramCartTrainer(maxDepth=" + maxDepth + ",minChildWeight=" + minChildWeight
                + ",fractionFeaturesInSplit=" + fractionFeaturesInSplit + ",useRandomSplitPoints=" + useRandomSplitPoints
                + ",impurity=GiniIndex,seed=" + seed + ")";
    }
}
