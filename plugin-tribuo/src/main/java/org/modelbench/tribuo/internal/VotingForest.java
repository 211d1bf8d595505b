package org.modelbench.tribuo.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.math.la.SparseVector;

/**
 * Prediction for an equally weighted voting ensemble of Tribuo trees that share one feature map
 * (what Tribuo's bagging trainers build): the same result as {@code WeightedEnsembleModel.predict},
 * the same leaves and the same {@link VotingCombiner}, but each row's feature vector is built once
 * instead of once per tree. With 784 named features and 100 trees that name lookup, not the tree
 * walk, is most of Tribuo's prediction time.
 */
final class VotingForest {
    private static final VotingCombiner VOTES = new VotingCombiner();

    private final EnsembleModel<Label> ensemble;
    private final List<TreeModel<Label>> trees;
    private final ImmutableFeatureMap features;
    private final float[] weights;

    private VotingForest(EnsembleModel<Label> ensemble, List<TreeModel<Label>> trees) {
        this.ensemble = ensemble;
        this.trees = trees;
        this.features = ensemble.getFeatureIDMap();
        this.weights = uniformWeights(trees.size());
    }

    /** The member weights Tribuo's bagging trainers give an ensemble of {@code n}: {@code 1f / n} each. */
    static float[] uniformWeights(int n) {
        float[] weights = new float[n];
        java.util.Arrays.fill(weights, 1.0f / n);
        return weights;
    }

    /**
     * The fast path for {@code model}, if it is an ensemble of trees over the ensemble's own feature
     * map. The caller guarantees a voting combiner and uniform weights {@link #uniformWeights} (true
     * for this plugin's trainers, and checked when a saved model is loaded).
     */
    static Optional<VotingForest> of(Model<Label> model) {
        if (!(model instanceof EnsembleModel<Label> ensemble)) {
            return Optional.empty();
        }
        List<TreeModel<Label>> trees = new ArrayList<>();
        for (Model<Label> member : ensemble.getModels()) {
            if (!(member instanceof TreeModel<Label> tree) || !tree.getFeatureIDMap().equals(ensemble.getFeatureIDMap())) {
                return Optional.empty();
            }
            trees.add(tree);
        }
        return Optional.of(new VotingForest(ensemble, trees));
    }

    /** The ensemble's prediction for {@code example}. */
    Prediction<Label> predict(Example<Label> example) {
        SparseVector vector = SparseVector.createSparseVector(example, features, false);
        if (vector.numActiveElements() == 0) {
            throw new IllegalArgumentException("No features found in Example " + example);
        }
        List<Prediction<Label>> votes = new ArrayList<>(trees.size());
        for (TreeModel<Label> tree : trees) {
            Node<Label> last = tree.getRoot();
            Node<Label> node = last;
            while (node != null) {
                last = node;
                node = last.getNextNode(vector);
            }
            votes.add(((LeafNode<Label>) last).getPrediction(vector.numActiveElements(), example));
        }
        return VOTES.combine(ensemble.getOutputIDInfo(), votes, weights);
    }
}
