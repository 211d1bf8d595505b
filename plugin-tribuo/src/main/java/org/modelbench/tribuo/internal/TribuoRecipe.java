package org.modelbench.tribuo.internal;

import org.modelbench.api.InvalidInputException;
import org.modelbench.api.RunContext;
import org.modelbench.tribuo.config.CartConfig;
import org.modelbench.tribuo.config.ExtraTreesConfig;
import org.modelbench.tribuo.config.LogisticConfig;
import org.modelbench.tribuo.config.RandomForestConfig;
import org.modelbench.tribuo.config.Splitter;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.DecisionTreeTrainer;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * How one family builds a fresh Tribuo trainer for one training call.
 *
 * <p>The factory is called once per {@code train} call with the seeds of that call, so no Tribuo
 * trainer (and none of its RNG or invocation-count state) outlives a call. Seeds come from
 * {@link RunContext#derivedSeed} of the call's root seed: {@code bootstrap} for the bagging RNG,
 * {@code split-features} for the per-split feature sampling (and random split points), {@code sgd}
 * for SGD's shuffling. The seeds context also carries the run's thread count.
 *
 * @param units   units of work reported as batches of the single epoch: trees, or 1
 * @param factory makes the Tribuo trainer
 */
public record TribuoRecipe(int units, Factory factory) {

    /** Makes a Tribuo trainer for one call. */
    @FunctionalInterface
    public interface Factory {
        /**
         * @param seeds        a context whose {@link RunContext#derivedSeed} gives this call's seeds and
         *                     whose {@link RunContext#threads()} is the run's thread count
         * @param features     the number of features of the training rows
         * @param unitFinished to call after each unit of work (each tree), from the thread that did it;
         *                     thread-safe
         */
        Trainer<Label> create(RunContext seeds, int features, Runnable unitFinished);
    }

    /** A new Tribuo trainer (see {@link Factory#create}). */
    Trainer<Label> trainer(RunContext seeds, int features, Runnable unitFinished) {
        return factory.create(seeds, features, unitFinished);
    }

    /**
     * The fraction handed to Tribuo, which samples {@code round(fraction * features)} features per
     * split: raised to {@code 1 / features} when it would round to none (e.g. 0.1 of 4 features).
     */
    static double splitFraction(double featureFraction, int features) {
        return Math.round(featureFraction * features) >= 1 ? featureFraction : 1.0 / features;
    }

    /** Tribuo's RandomForestTrainer over CART trees with a voting combiner, trees trained in parallel. */
    public static TribuoRecipe randomForest(RandomForestConfig c) {
        return votingTrees(c.trees(), c.maxDepth(), c.featureFraction(), c.minChildWeight(), false, c.splitter());
    }

    /** Tribuo's ExtraTreesTrainer over CART trees with random split points and a voting combiner, trees trained in parallel. */
    public static TribuoRecipe extraTrees(ExtraTreesConfig c) {
        return votingTrees(c.trees(), c.maxDepth(), c.featureFraction(), c.minChildWeight(), true, c.splitter());
    }

    /** One CART tree. */
    public static TribuoRecipe cart(CartConfig c) {
        return new TribuoRecipe(1, (seeds, features, treeFinished) -> new CountingTreeTrainer(
                tree(c.splitter(), c.maxDepth(), splitFraction(c.featureFraction(), features), c.minChildWeight(), false,
                        seeds.derivedSeed("split-features")), treeFinished));
    }

    /** Linear SGD with the logistic (LogMulticlass) loss and AdaGrad, Tribuo's logistic regression. */
    public static TribuoRecipe logistic(LogisticConfig c) {
        return new TribuoRecipe(1, (seeds, features, unitFinished) -> new LinearSGDTrainer(new LogMulticlass(),
                new AdaGrad(c.learningRate(), 0.1), c.epochs(), -1, c.minibatchSize(), seeds.derivedSeed("sgd")));
    }

    /**
     * Bagged CART trees combined by {@link VotingCombiner}: a random forest, or extra trees with random
     * splits, trained on the run's threads ({@link RunContext#threads()} of the seeds context) by
     * {@link ParallelBaggingTrainer}, which builds what Tribuo's sequential trainer would.
     */
    private static TribuoRecipe votingTrees(int trees, int maxDepth, double featureFraction, double minChildWeight,
                                            boolean randomSplits, Splitter splitter) {
        return new TribuoRecipe(trees, (seeds, features, treeFinished) -> {
            double fraction = splitFraction(featureFraction, features);
            if (!randomSplits && fraction >= 1.0) {
                throw new InvalidInputException("tribuo-random-forest: the rows have " + features + " feature(s);"
                        + " a random forest needs at least 2 to sample from at each split (use tribuo-cart)");
            }
            DecisionTreeTrainer<Label> tree = tree(splitter, maxDepth, fraction, minChildWeight, randomSplits,
                    seeds.derivedSeed("split-features"));
            long bootstrapSeed = seeds.derivedSeed("bootstrap");
            BaggingTrainer<Label> tribuo = randomSplits
                    ? new ExtraTreesTrainer<>(tree, new VotingCombiner(), trees, bootstrapSeed)
                    : new RandomForestTrainer<>(tree, new VotingCombiner(), trees, bootstrapSeed);
            return new ParallelBaggingTrainer(tribuo, randomSplits ? "extra-trees-ensemble" : "random-forest-ensemble",
                    tree, trees, bootstrapSeed, seeds.threads(), treeFinished);
        });
    }

    /** A Gini CART trainer, histogram or Tribuo's exact one; {@code maxDepth} 0 becomes Tribuo's unlimited. */
    private static DecisionTreeTrainer<Label> tree(Splitter splitter, int maxDepth, double featureFraction,
                                                   double minChildWeight, boolean randomSplits, long seed) {
        int depth = maxDepth == 0 ? Integer.MAX_VALUE : maxDepth;
        return switch (splitter) {
            case HISTOGRAM -> new HistogramCartTrainer(depth, (float) minChildWeight, (float) featureFraction,
                    randomSplits, seed);
            case EXACT -> new CARTClassificationTrainer(depth, (float) minChildWeight, 0.0f, (float) featureFraction,
                    randomSplits, new GiniIndex(), seed);
        };
    }
}
