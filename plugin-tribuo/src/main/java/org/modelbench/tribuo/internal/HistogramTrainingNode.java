package org.modelbench.tribuo.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.common.tree.AbstractTrainingNode;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.util.Util;

/**
 * A node of a classification tree under construction that finds its split from per-feature
 * histograms of quantised values ({@link BinnedRows}), with Gini impurity: Tribuo's
 * {@code ClassifierTrainingNode} semantics without its per-node copies of sorted feature lists.
 *
 * <p>The rows of a tree live in one array ({@link TreeRows#rows}); a node owns the range
 * {@code [start, end)} of it and splitting partitions that range in place (stably, through one
 * scratch array per tree), so no row list is ever copied per node. For each candidate feature the
 * node accumulates the weighted class counts per bin of its rows, then scans the occupied bins:
 * every boundary between two occupied bins for CART, or one boundary drawn uniformly among them
 * ({@code rng.nextInt(occupied - 1)}, exactly where Tribuo draws its random split point) for extra
 * trees. As in Tribuo, the best split must lower the weighted Gini impurity strictly, ties go to the
 * earlier feature in {@code featureIDs} and then to the lower threshold, a child becomes a leaf when
 * it is pure, at the maximum depth or lighter than {@code minChildWeight}, and the threshold is the
 * midpoint between the two bins' values. Leaves are Tribuo {@link LeafNode}s whose score map holds
 * the classes present in the leaf (the absent ones have probability 0); their output is the first
 * most frequent class by label id, as in Tribuo.
 */
final class HistogramTrainingNode extends AbstractTrainingNode<Label> {
    private static final long serialVersionUID = 1L;
    private static final GiniIndex GINI = new GiniIndex();
    /** Up to this many occupied bins are sorted; more are read in histogram order. */
    private static final int SORTED_BINS = 24;

    private final transient TreeRows tree;
    private final int start;
    private final int end;
    private final float[] weightedLabelCounts;
    private final float weightSum;

    /** The working state of one tree: the bins, its row weights and reusable buffers. */
    static final class TreeRows {
        final BinnedRows binned;
        final ImmutableOutputInfo<Label> labelIDMap;
        /** Weight of each row of {@link #binned} in this tree (bootstrap multiplicity x example weight). */
        final float[] rowWeights;
        /** The rows of this tree with a positive weight; nodes own ranges of it. */
        final int[] rows;
        /** Label id and weight of the row at each position of {@link #rows}, moved with it. */
        final int[] positionLabels;
        final float[] positionWeights;
        private final int[] scratch;
        private final int[] scratchLabels;
        private final float[] scratchWeights;
        /** The occupied bins of the feature being scanned, in the order first seen. */
        private final int[] occupiedBins = new int[BinnedRows.MAX_BINS];
        private final float[] histogram;
        private final float[] binWeights = new float[BinnedRows.MAX_BINS];
        private final float[] left;
        private final float[] bestLeft;

        TreeRows(BinnedRows binned, ImmutableOutputInfo<Label> labelIDMap, float[] rowWeights) {
            this.binned = binned;
            this.labelIDMap = labelIDMap;
            this.rowWeights = rowWeights;
            int count = 0;
            for (float w : rowWeights) {
                if (w > 0) {
                    count++;
                }
            }
            this.rows = new int[count];
            for (int r = 0, at = 0; r < rowWeights.length; r++) {
                if (rowWeights[r] > 0) {
                    rows[at++] = r;
                }
            }
            this.positionLabels = new int[count];
            this.positionWeights = new float[count];
            for (int p = 0; p < count; p++) {
                positionLabels[p] = binned.labels()[rows[p]];
                positionWeights[p] = rowWeights[rows[p]];
            }
            this.scratch = new int[count];
            this.scratchLabels = new int[count];
            this.scratchWeights = new float[count];
            int k = binned.classes();
            this.histogram = new float[BinnedRows.MAX_BINS * k];
            this.left = new float[k];
            this.bestLeft = new float[k];
        }
    }

    /** The root of a tree over all rows of {@code tree} with a positive weight. */
    static HistogramTrainingNode root(TreeRows tree, LeafDeterminer leafDeterminer) {
        float[] counts = new float[tree.binned.classes()];
        int[] labels = tree.binned.labels();
        for (int r : tree.rows) {
            counts[labels[r]] += tree.rowWeights[r];
        }
        return new HistogramTrainingNode(tree, 0, tree.rows.length, 0, leafDeterminer, counts, Util.sum(counts),
                GINI.impurity(counts));
    }

    private HistogramTrainingNode(TreeRows tree, int start, int end, int depth, LeafDeterminer leafDeterminer,
                                  float[] weightedLabelCounts, float weightSum, double impurity) {
        super(depth, end - start, leafDeterminer);
        this.tree = tree;
        this.start = start;
        this.end = end;
        this.weightedLabelCounts = weightedLabelCounts;
        this.weightSum = weightSum;
        this.impurityScore = impurity;
    }

    @Override
    public float getWeightSum() {
        return weightSum;
    }

    @Override
    public double getImpurity() {
        return impurityScore;
    }

    @Override
    public List<AbstractTrainingNode<Label>> buildTree(int[] featureIDs, SplittableRandom rng,
                                                       boolean useRandomSplitPoints) {
        TreeRows t = tree;
        BinnedRows binned = t.binned;
        int n = binned.rows();
        int k = binned.classes();
        byte[] bins = binned.bins();
        int[] rows = t.rows;
        float[] hist = t.histogram;
        float[] binWeights = t.binWeights;
        float[] left = t.left;
        float[] total = weightedLabelCounts;
        double bestScore = getImpurity();
        int bestFeature = -1;
        int bestBin = -1;
        double bestThreshold = 0.0;
        int[] labels = t.positionLabels;
        float[] w = t.positionWeights;
        int[] occupiedBins = t.occupiedBins;
        for (int feature : featureIDs) {
            int offset = feature * n;
            int occupied = 0;
            for (int p = start; p < end; p++) {
                int b = bins[offset + rows[p]] & 0xFF;
                float wp = w[p];
                if (binWeights[b] == 0.0f) {
                    occupiedBins[occupied++] = b;
                }
                hist[b * k + labels[p]] += wp;
                binWeights[b] += wp;
            }
            if (occupied > 1) {
                // Few bins: sort them; many: the histogram's own order (every bin read once).
                if (occupied <= SORTED_BINS) {
                    insertionSort(occupiedBins, occupied);
                } else {
                    occupied = occupiedInOrder(binWeights, occupiedBins);
                }
                Arrays.fill(left, 0.0f);
                float leftWeight = 0.0f;
                int first = 0;
                int last = occupied - 1;
                if (useRandomSplitPoints) {
                    // Tribuo's draw: the split follows the split-th of the occupied values (0-based).
                    int split = rng.nextInt(occupied - 1);
                    first = split;
                    last = split + 1;
                    for (int i = 0; i < split; i++) {
                        int b = occupiedBins[i];
                        addBin(hist, b, k, left);
                        leftWeight += binWeights[b];
                    }
                }
                for (int i = first; i < last; i++) {
                    int below = occupiedBins[i];
                    addBin(hist, below, k, left);
                    leftWeight += binWeights[below];
                    double score = score(left, leftWeight, total, weightSum);
                    if (score < bestScore) {
                        bestScore = score;
                        bestFeature = feature;
                        bestBin = below;
                        bestThreshold = binned.threshold(feature, below, occupiedBins[i + 1]);
                        System.arraycopy(left, 0, t.bestLeft, 0, k);
                    }
                }
            }
            for (int i = 0; i < occupied; i++) {
                int b = occupiedBins[i];
                binWeights[b] = 0.0f;
                Arrays.fill(hist, b * k, b * k + k, 0.0f);
            }
        }
        if (bestFeature < 0 || weightSum * (getImpurity() - bestScore) < leafDeterminer.getScaledMinImpurityDecrease()) {
            return Collections.emptyList();
        }
        return splitAt(bestFeature, bestBin, bestThreshold, t.bestLeft.clone());
    }

    /** Sorts {@code bins[0, count)} ascending. */
    private static void insertionSort(int[] bins, int count) {
        for (int i = 1; i < count; i++) {
            int b = bins[i];
            int j = i - 1;
            while (j >= 0 && bins[j] > b) {
                bins[j + 1] = bins[j];
                j--;
            }
            bins[j + 1] = b;
        }
    }

    /** Writes the bins with a positive weight into {@code bins} in ascending order; returns how many. */
    private static int occupiedInOrder(float[] binWeights, int[] bins) {
        int count = 0;
        for (int b = 0; b < binWeights.length; b++) {
            if (binWeights[b] > 0.0f) {
                bins[count++] = b;
            }
        }
        return count;
    }

    private static void addBin(float[] hist, int b, int k, float[] left) {
        int at = b * k;
        for (int c = 0; c < k; c++) {
            left[c] += hist[at + c];
        }
    }

    /**
     * The weighted Gini impurity of a split, {@code (wL * gini(L) + wR * gini(R)) / w}, computed as
     * {@code 1 - (sum(L^2) / wL + sum(R^2) / wR) / w}.
     */
    private static double score(float[] left, float leftWeight, float[] total, float weightSum) {
        double leftSquares = 0.0;
        double rightSquares = 0.0;
        for (int c = 0; c < left.length; c++) {
            double l = left[c];
            double r = total[c] - left[c];
            leftSquares += l * l;
            rightSquares += r * r;
        }
        double rightWeight = weightSum - leftWeight;
        return 1.0 - (leftSquares / leftWeight + rightSquares / rightWeight) / weightSum;
    }

    /** Makes this node a split on {@code feature} (bins {@code <= bin} go left) and returns the children still to grow. */
    private List<AbstractTrainingNode<Label>> splitAt(int feature, int bin, double threshold, float[] lessThanCounts) {
        splitID = feature;
        split = true;
        splitValue = threshold;
        float[] greaterThanCounts = new float[lessThanCounts.length];
        for (int c = 0; c < greaterThanCounts.length; c++) {
            greaterThanCounts[c] = weightedLabelCounts[c] - lessThanCounts[c];
        }
        float lessThanWeight = Util.sum(lessThanCounts);
        float greaterThanWeight = Util.sum(greaterThanCounts);
        double lessThanImpurity = GINI.impurity(lessThanCounts);
        double greaterThanImpurity = GINI.impurity(greaterThanCounts);
        boolean lessThanLeaf = shouldMakeLeaf(lessThanImpurity, lessThanWeight);
        boolean greaterThanLeaf = shouldMakeLeaf(greaterThanImpurity, greaterThanWeight);
        // Both children leaves: the rows need not move.
        int middle = lessThanLeaf && greaterThanLeaf ? start : partition(feature, bin);
        List<AbstractTrainingNode<Label>> children = new ArrayList<>(2);
        lessThanOrEqual = child(lessThanLeaf, start, middle, lessThanCounts, lessThanWeight, lessThanImpurity, children);
        greaterThan = child(greaterThanLeaf, middle, end, greaterThanCounts, greaterThanWeight, greaterThanImpurity,
                children);
        return children;
    }

    /** A leaf, or a node over rows {@code [from, to)} still to grow (then added to {@code growing}). */
    private Node<Label> child(boolean leaf, int from, int to, float[] counts, float weight, double impurity,
                              List<AbstractTrainingNode<Label>> growing) {
        if (leaf) {
            return leaf(tree.labelIDMap, impurity, counts);
        }
        var node = new HistogramTrainingNode(tree, from, to, depth + 1, leafDeterminer, counts, weight, impurity);
        growing.add(node);
        return node;
    }

    /** Stably moves this node's rows with {@code bin(feature) <= bin} to the front of its range; returns where the rest begin. */
    private int partition(int feature, int bin) {
        TreeRows t = tree;
        int[] rows = t.rows;
        int[] labels = t.positionLabels;
        float[] weights = t.positionWeights;
        byte[] bins = t.binned.bins();
        int offset = feature * t.binned.rows();
        int low = start;
        int high = 0;
        for (int p = start; p < end; p++) {
            int r = rows[p];
            if ((bins[offset + r] & 0xFF) <= bin) {
                labels[low] = labels[p];
                weights[low] = weights[p];
                rows[low++] = r;
            } else {
                t.scratchLabels[high] = labels[p];
                t.scratchWeights[high] = weights[p];
                t.scratch[high++] = r;
            }
        }
        System.arraycopy(t.scratch, 0, rows, low, high);
        System.arraycopy(t.scratchLabels, 0, labels, low, high);
        System.arraycopy(t.scratchWeights, 0, weights, low, high);
        return low;
    }

    @Override
    public Node<Label> convertTree() {
        return split ? createSplitNode() : leaf(tree.labelIDMap, getImpurity(), weightedLabelCounts);
    }

    /** A Tribuo leaf: output the first most frequent class, scores the class proportions of the present classes. */
    static LeafNode<Label> leaf(ImmutableOutputInfo<Label> labelIDMap, double impurity, float[] weightedCounts) {
        double[] normed = Util.normalizeToDistribution(weightedCounts);
        double maxScore = Double.NEGATIVE_INFINITY;
        Label maxLabel = null;
        Map<String, Label> scores = new LinkedHashMap<>();
        for (int i = 0; i < weightedCounts.length; i++) {
            String name = labelIDMap.getOutput(i).getLabel();
            Label label = new Label(name, normed[i]);
            if (normed[i] > 0) {
                scores.put(name, label);
            }
            if (normed[i] > maxScore) {
                maxScore = normed[i];
                maxLabel = label;
            }
        }
        return new LeafNode<>(impurity, maxLabel, scores, true);
    }
}
