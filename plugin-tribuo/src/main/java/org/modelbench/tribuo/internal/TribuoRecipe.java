package org.modelbench.tribuo.internal;

import org.modelbench.api.RunContext;
import org.modelbench.tribuo.config.CartConfig;
import org.modelbench.tribuo.config.ExtraTreesConfig;
import org.modelbench.tribuo.config.LogisticConfig;
import org.modelbench.tribuo.config.RandomForestConfig;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * How one family builds a fresh Tribuo trainer for one training call.
 *
 * <p>{@link #trainer} is called once per {@code train} call with the seeds of that call, so no
 * Tribuo trainer (and none of its RNG or invocation-count state) outlives a call. Seeds come from
 * {@link RunContext#derivedSeed} of the call's root seed: {@code bootstrap} for the bagging RNG,
 * {@code split-features} for the per-split feature sampling, {@code sgd} for SGD's shuffling.
 */
public interface TribuoRecipe {

    /** Units of work reported as batches of the single epoch: trees, or 1. */
    int units();

    /**
     * A new Tribuo trainer.
     *
     * @param seeds        a context whose {@link RunContext#derivedSeed} gives this call's seeds
     * @param unitFinished to call after each unit of work (each tree), on the training thread
     */
    Trainer<Label> trainer(RunContext seeds, Runnable unitFinished);

    /** Tribuo's depth convention: {@link Integer#MAX_VALUE} for unlimited. */
    private static int depth(int maxDepth) {
        return maxDepth == 0 ? Integer.MAX_VALUE : maxDepth;
    }

    private static CARTClassificationTrainer cart(int maxDepth, double featureFraction, double minChildWeight,
                                                  boolean randomSplits, long seed) {
        return new CARTClassificationTrainer(depth(maxDepth), (float) minChildWeight, 0.0f, (float) featureFraction,
                randomSplits, new GiniIndex(), seed);
    }

    /** Tribuo's RandomForestTrainer over CART trees with a voting combiner. */
    static TribuoRecipe randomForest(RandomForestConfig c) {
        return new TribuoRecipe() {
            @Override
            public int units() {
                return c.trees();
            }

            @Override
            public Trainer<Label> trainer(RunContext seeds, Runnable unitFinished) {
                var tree = new CountingTreeTrainer(cart(c.maxDepth(), c.featureFraction(), c.minChildWeight(), false,
                        seeds.derivedSeed("split-features")), unitFinished);
                return new RandomForestTrainer<>(tree, new VotingCombiner(), c.trees(), seeds.derivedSeed("bootstrap"));
            }
        };
    }

    /** Tribuo's ExtraTreesTrainer over CART trees with random split points and a voting combiner. */
    static TribuoRecipe extraTrees(ExtraTreesConfig c) {
        return new TribuoRecipe() {
            @Override
            public int units() {
                return c.trees();
            }

            @Override
            public Trainer<Label> trainer(RunContext seeds, Runnable unitFinished) {
                var tree = new CountingTreeTrainer(cart(c.maxDepth(), c.featureFraction(), c.minChildWeight(), true,
                        seeds.derivedSeed("split-features")), unitFinished);
                return new ExtraTreesTrainer<>(tree, new VotingCombiner(), c.trees(), seeds.derivedSeed("bootstrap"));
            }
        };
    }

    /** One CART tree. */
    static TribuoRecipe cart(CartConfig c) {
        return new TribuoRecipe() {
            @Override
            public int units() {
                return 1;
            }

            @Override
            public Trainer<Label> trainer(RunContext seeds, Runnable unitFinished) {
                return new CountingTreeTrainer(cart(c.maxDepth(), c.featureFraction(), c.minChildWeight(), false,
                        seeds.derivedSeed("split-features")), unitFinished);
            }
        };
    }

    /** Linear SGD with the logistic (LogMulticlass) loss and AdaGrad, Tribuo's logistic regression. */
    static TribuoRecipe logistic(LogisticConfig c) {
        return new TribuoRecipe() {
            @Override
            public int units() {
                return 1;
            }

            @Override
            public Trainer<Label> trainer(RunContext seeds, Runnable unitFinished) {
                return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(c.learningRate(), 0.1), c.epochs(), -1,
                        c.minibatchSize(), seeds.derivedSeed("sgd"));
            }
        };
    }
}
