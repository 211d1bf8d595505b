package org.modelbench.tribuo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.modelbench.api.Dataset;
import org.modelbench.tribuo.MnistSubsets;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.common.tree.AbstractCARTTrainer;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The histogram trees against Tribuo's exact CART on data where the best split is known, and node
 * for node on MNIST pixels (at most 256 distinct values per feature, so the candidate thresholds are
 * the same).
 */
class HistogramCartTrainerTest {
    private static final LabelFactory LABELS = new LabelFactory();

    @Test
    void findsTheOneInformativeFeatureAtItsThreshold() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 200;
        double[][] x = new double[n][4];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = rng.nextInt(100);           // noise
            x[i][1] = 7.0;                        // constant
            x[i][2] = i % 20;                     // the class is x2 > 11
            x[i][3] = rng.nextDouble();           // noise with 200 distinct values
            y[i] = x[i][2] > 11 ? "high" : "low";
        }
        TreeModel<Label> histogram = histogram(1.0f, false).train(dataset(x, y));
        var root = assertInstanceOf(SplitNode.class, histogram.getRoot());
        assertEquals(2, root.getFeatureID());
        assertEquals(11.5, root.splitValue());
        assertInstanceOf(LeafNode.class, root.getGreaterThan());
        assertInstanceOf(LeafNode.class, root.getLessThanOrEqual());
        assertSameTree(exact(1.0f, false).train(dataset(x, y)).getRoot(), histogram.getRoot());
    }

    @Test
    void tiesGoToTheFirstFeatureAndTheLowestThresholdAsInTribuo() {
        // Features 0 and 1 are copies; x2 splits as well at two thresholds (0.5 and 2.5 give the same Gini).
        double[][] x = {{1, 1, 0}, {1, 1, 1}, {2, 2, 2}, {2, 2, 3}, {1, 1, 0}, {2, 2, 3}};
        String[] y = {"a", "a", "b", "b", "a", "b"};
        TreeModel<Label> histogram = histogram(1.0f, false).train(dataset(x, y));
        var root = assertInstanceOf(SplitNode.class, histogram.getRoot());
        assertEquals(0, root.getFeatureID());
        assertEquals(1.5, root.splitValue());
        assertSameTree(exact(1.0f, false).train(dataset(x, y)).getRoot(), histogram.getRoot());
        double[][] tied = {{0}, {1}, {2}, {3}};
        String[] tiedLabels = {"a", "b", "b", "a"};
        assertSameTree(exact(1.0f, false).train(dataset(tied, tiedLabels)).getRoot(),
                histogram(1.0f, false).train(dataset(tied, tiedLabels)).getRoot());
    }

    @ParameterizedTest
    @CsvSource({"constant features, 5", "one class, 5", "one row, 1"})
    void makesOneLeafWhenNothingCanBeSplit(String what, int n) {
        double[][] x = new double[n][3];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {4, 4, 4};
            y[i] = i % 2 == 0 ? "a" : "b";
            if (what.equals("one class")) {
                x[i] = new double[] {i, 2 * i, -i};
                y[i] = "a";
            }
        }
        Node<Label> root = histogram(1.0f, false).train(dataset(x, y)).getRoot();
        var leaf = assertInstanceOf(LeafNode.class, root, what);
        assertEquals("a", ((Label) leaf.getOutput()).getLabel(), what);
        assertSameTree(exact(1.0f, false).train(dataset(x, y)).getRoot(), root);
    }

    @ParameterizedTest
    @CsvSource({"1.0, false, 0", "0.1, false, 0", "0.1, true, 0", "0.1, false, 6"})
    void growsTribuosExactTreeNodeForNodeOnMnistPixels(float fraction, boolean randomSplits, int maxDepth) {
        Dataset mnist = MnistSubsets.train(600);
        MutableDataset<Label> data = new ImageExamples(mnist.sampleShape()).toTribuo(mnist);
        Node<Label> exact = exact(fraction, randomSplits, maxDepth).train(data).getRoot();
        Node<Label> histogram = histogram(fraction, randomSplits, maxDepth).train(data).getRoot();
        assertSameTree(exact, histogram);
        assertTrue(countNodes(histogram) > (maxDepth == 0 ? 50 : 20), "nodes " + countNodes(histogram));
    }

    private static int countNodes(Node<Label> node) {
        return node instanceof SplitNode<Label> s ? 1 + countNodes(s.getGreaterThan()) + countNodes(s.getLessThanOrEqual()) : 1;
    }

    /** Same splits (feature, threshold, impurity) and same leaves (output, class proportions; absent = 0). */
    static void assertSameTree(Node<Label> expected, Node<Label> actual) {
        assertEquals(expected.isLeaf(), actual.isLeaf());
        assertEquals(expected.getImpurity(), actual.getImpurity(), 1e-12);
        if (expected instanceof SplitNode<Label> e) {
            var a = (SplitNode<Label>) actual;
            assertEquals(e.getFeatureID(), a.getFeatureID());
            assertEquals(e.splitValue(), a.splitValue());
            assertSameTree(e.getLessThanOrEqual(), a.getLessThanOrEqual());
            assertSameTree(e.getGreaterThan(), a.getGreaterThan());
        } else {
            var e = (LeafNode<Label>) expected;
            var a = (LeafNode<Label>) actual;
            assertEquals(e.getOutput().getLabel(), a.getOutput().getLabel());
            assertEquals(e.getOutput().getScore(), a.getOutput().getScore(), 1e-12);
            for (var entry : e.getDistribution().entrySet()) {
                Label got = a.getDistribution().get(entry.getKey());
                assertEquals(entry.getValue().getScore(), got == null ? 0.0 : got.getScore(), 1e-12, entry.getKey());
            }
        }
    }

    private static AbstractCARTTrainer<Label> histogram(float fraction, boolean randomSplits) {
        return histogram(fraction, randomSplits, 0);
    }

    private static AbstractCARTTrainer<Label> histogram(float fraction, boolean randomSplits, int maxDepth) {
        return new HistogramCartTrainer(maxDepth == 0 ? Integer.MAX_VALUE : maxDepth, 1.0f, fraction, randomSplits, 17);
    }

    private static AbstractCARTTrainer<Label> exact(float fraction, boolean randomSplits) {
        return exact(fraction, randomSplits, 0);
    }

    private static AbstractCARTTrainer<Label> exact(float fraction, boolean randomSplits, int maxDepth) {
        return new CARTClassificationTrainer(maxDepth == 0 ? Integer.MAX_VALUE : maxDepth, 1.0f, 0.0f, fraction,
                randomSplits, new GiniIndex(), 17);
    }

    private static MutableDataset<Label> dataset(double[][] x, String[] y) {
        var data = new MutableDataset<>(new SimpleDataSourceProvenance("test", LABELS), LABELS);
        String[] names = new String[x[0].length];
        for (int j = 0; j < names.length; j++) {
            names[j] = "x" + j;
        }
        for (int i = 0; i < x.length; i++) {
            data.add(new ArrayExample<>(new Label(y[i]), names, x[i]));
        }
        return data;
    }
}
