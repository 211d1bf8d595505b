package org.modelbench.tribuo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.modelbench.api.Dataset;
import org.modelbench.tribuo.MnistSubsets;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.DecisionTreeTrainer;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.BaggingTrainer;

/**
 * The parallel bagging builds exactly what Tribuo's sequential trainers build: the same protobuf
 * bytes (timestamps pinned) for any thread count, with Tribuo's exact CART and with the histogram
 * trees.
 */
class ParallelBaggingTrainerTest {

    @ParameterizedTest
    @CsvSource({"exact, false, 1", "exact, false, 3", "exact, true, 2", "histogram, false, 1", "histogram, false, 4",
            "histogram, true, 3"})
    void buildsTribuosSequentialEnsembleForAnyThreadCount(String splitter, boolean extraTrees, int threads) {
        Dataset mnist = MnistSubsets.train(400);
        MutableDataset<Label> data = new ImageExamples(mnist.sampleShape()).toTribuo(mnist);
        int trees = 5;
        long seed = 99;
        byte[] sequential = ProvenanceTimestamps.pin(bagging(tree(splitter, extraTrees), extraTrees, trees, seed)
                .train(data).serialize()).toByteArray();
        AtomicInteger finished = new AtomicInteger();
        DecisionTreeTrainer<Label> tree = tree(splitter, extraTrees);
        var parallel = new ParallelBaggingTrainer(bagging(tree, extraTrees, trees, seed),
                extraTrees ? "extra-trees-ensemble" : "random-forest-ensemble", tree, trees, seed, threads,
                finished::incrementAndGet);
        byte[] bytes = ProvenanceTimestamps.pin(parallel.train(data, Map.of()).serialize()).toByteArray();
        assertArrayEquals(sequential, bytes);
        assertEquals(trees, finished.get());
    }

    private static DecisionTreeTrainer<Label> tree(String splitter, boolean randomSplits) {
        return splitter.equals("exact")
                ? new CARTClassificationTrainer(Integer.MAX_VALUE, 1.0f, 0.0f, 0.1f, randomSplits, new GiniIndex(), 7)
                : new HistogramCartTrainer(Integer.MAX_VALUE, 1.0f, 0.1f, randomSplits, 7);
    }

    private static BaggingTrainer<Label> bagging(DecisionTreeTrainer<Label> tree, boolean extraTrees, int trees, long seed) {
        return extraTrees ? new ExtraTreesTrainer<>(tree, new VotingCombiner(), trees, seed)
                : new RandomForestTrainer<>(tree, new VotingCombiner(), trees, seed);
    }
}
