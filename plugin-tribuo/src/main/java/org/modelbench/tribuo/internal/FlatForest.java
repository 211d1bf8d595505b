package org.modelbench.tribuo.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.EnsembleModel;

/**
 * Prediction for an equally weighted voting ensemble of Tribuo trees over one feature map (what
 * this plugin's forests are), straight from a dense float batch: every tree flattened once into
 * node arrays (split feature as a sample element index, threshold, children; a leaf holds the label
 * id it votes for), rows walked in blocks tree by tree, blocks on several threads.
 *
 * <p>The result is exactly what Tribuo's {@code WeightedEnsembleModel.predict} with its
 * {@code VotingCombiner} gives, mapped to class order as {@link TribuoClassifier} maps it: a row
 * goes right at a split when its value (widened to double) is greater than the threshold, as in
 * {@code SplitNode}; each tree adds its weight ({@code 1f / trees}, as a double) to its leaf's
 * output label in tree order, a label's score is its votes over the weight sum, and the positive
 * scores are normalised again in label-id order. Immutable; safe for concurrent use.
 */
final class FlatForest {
    /** Rows per block: one block's scores stay in cache while each tree walks it. */
    private static final int BLOCK = 256;
    private static final int LEAF = -1;

    private final int trees;
    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final int[] greater;
    private final int[] lessOrEqual;
    private final int[] vote;
    private final double weight;
    private final int labels;
    /** Platform class index of each Tribuo label id, or -1. */
    private final int[] classOfLabel;

    private FlatForest(int trees, int[] roots, int[] feature, double[] threshold, int[] greater, int[] lessOrEqual,
                       int[] vote, float weight, int[] classOfLabel) {
        this.trees = trees;
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.greater = greater;
        this.lessOrEqual = lessOrEqual;
        this.vote = vote;
        this.weight = weight;
        this.labels = classOfLabel.length;
        this.classOfLabel = classOfLabel;
    }

    /** The member weights Tribuo's bagging trainers give an ensemble of {@code n}: {@code 1f / n} each. */
    static float[] uniformWeights(int n) {
        float[] weights = new float[n];
        Arrays.fill(weights, 1.0f / n);
        return weights;
    }

    /**
     * The flat form of {@code model} if it is an ensemble of trees over the ensemble's own feature
     * map, whose features are all among {@code elementOfName}'s. The caller guarantees a voting
     * combiner and uniform weights (true for this plugin's trainers, and checked when a saved model
     * is loaded).
     *
     * @param elementOfName sample element index of a feature name, or -1
     * @param classOfName   platform class index of a label name, or -1
     */
    static Optional<FlatForest> of(Model<Label> model, java.util.function.ToIntFunction<String> elementOfName,
                                   java.util.function.ToIntFunction<String> classOfName) {
        if (!(model instanceof EnsembleModel<Label> ensemble) || ensemble.getNumModels() == 0) {
            return Optional.empty();
        }
        ImmutableFeatureMap features = ensemble.getFeatureIDMap();
        int[] elementOfId = new int[features.size()];
        for (int id = 0; id < elementOfId.length; id++) {
            elementOfId[id] = elementOfName.applyAsInt(features.get(id).getName());
            if (elementOfId[id] < 0) {
                return Optional.empty();
            }
        }
        ImmutableOutputInfo<Label> outputs = ensemble.getOutputIDInfo();
        int[] classOfLabel = new int[outputs.size()];
        for (int id = 0; id < classOfLabel.length; id++) {
            classOfLabel[id] = classOfName.applyAsInt(outputs.getOutput(id).getLabel());
        }
        List<TreeModel<Label>> members = new ArrayList<>();
        int nodes = 0;
        for (Model<Label> member : ensemble.getModels()) {
            if (!(member instanceof TreeModel<Label> tree) || !tree.getFeatureIDMap().equals(features)) {
                return Optional.empty();
            }
            members.add(tree);
            nodes += tree.countNodes(tree.getRoot());
        }
        var flat = new Builder(nodes, elementOfId, outputs);
        int[] roots = new int[members.size()];
        for (int t = 0; t < roots.length; t++) {
            roots[t] = flat.add(members.get(t).getRoot());
        }
        return Optional.of(new FlatForest(roots.length, roots, flat.feature, flat.threshold, flat.greater,
                flat.lessOrEqual, flat.vote, uniformWeights(roots.length)[0], classOfLabel));
    }

    /** Fills the node arrays depth first, without recursion. */
    private static final class Builder {
        final int[] feature;
        final double[] threshold;
        final int[] greater;
        final int[] lessOrEqual;
        final int[] vote;
        private final int[] elementOfId;
        private final ImmutableOutputInfo<Label> outputs;
        private int size;

        Builder(int nodes, int[] elementOfId, ImmutableOutputInfo<Label> outputs) {
            feature = new int[nodes];
            threshold = new double[nodes];
            greater = new int[nodes];
            lessOrEqual = new int[nodes];
            vote = new int[nodes];
            this.elementOfId = elementOfId;
            this.outputs = outputs;
        }

        /** Appends the tree under {@code root}; returns the root's index. */
        int add(Node<Label> root) {
            int first = size;
            List<Node<Label>> pending = new ArrayList<>();
            List<int[]> links = new ArrayList<>(); // {parent, 1 if greater child}
            pending.add(root);
            links.add(new int[] {-1, 0});
            while (!pending.isEmpty()) {
                Node<Label> node = pending.remove(pending.size() - 1);
                int[] link = links.remove(links.size() - 1);
                int at = size++;
                if (link[0] >= 0) {
                    (link[1] == 1 ? greater : lessOrEqual)[link[0]] = at;
                }
                if (node instanceof SplitNode<Label> split) {
                    feature[at] = elementOfId[split.getFeatureID()];
                    threshold[at] = split.splitValue();
                    pending.add(split.getGreaterThan());
                    links.add(new int[] {at, 1});
                    pending.add(split.getLessThanOrEqual());
                    links.add(new int[] {at, 0});
                } else if (node instanceof LeafNode<Label> leaf) {
                    feature[at] = LEAF;
                    vote[at] = outputs.getID(leaf.getOutput());
                } else {
                    throw new IllegalArgumentException("unexpected tree node " + node.getClass().getName());
                }
            }
            return first;
        }
    }

    /**
     * Class probabilities of rows {@code [0, rows)} of {@code x} (row-major, {@code elements} values
     * per row) in platform class order ({@code classes} per row), on the common fork-join pool.
     */
    float[] predict(float[] x, int rows, int elements, int classes) {
        float[] out = new float[rows * classes];
        int blocks = (rows + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> predictBlock(x, b * BLOCK, Math.min(rows, (b + 1) * BLOCK),
                elements, classes, out));
        return out;
    }

    private void predictBlock(float[] x, int from, int to, int elements, int classes, float[] out) {
        int n = to - from;
        double[] votes = new double[n * labels];
        double sum = 0.0;
        for (int t = 0; t < trees; t++) {
            int root = roots[t];
            for (int i = 0; i < n; i++) {
                int offset = (from + i) * elements;
                int node = root;
                while (feature[node] != LEAF) {
                    node = x[offset + feature[node]] > threshold[node] ? greater[node] : lessOrEqual[node];
                }
                votes[i * labels + vote[node]] += weight;
            }
            sum += weight;
        }
        double[] row = new double[classes];
        for (int i = 0; i < n; i++) {
            Arrays.fill(row, 0.0);
            double positive = 0.0;
            for (int id = 0; id < labels; id++) {
                double score = votes[i * labels + id] / sum;
                int c = classOfLabel[id];
                if (c >= 0 && score > 0) {
                    row[c] = score;
                    positive += score;
                }
            }
            for (int c = 0; c < classes; c++) {
                out[(from + i) * classes + c] = (float) (row[c] / positive);
            }
        }
    }
}
