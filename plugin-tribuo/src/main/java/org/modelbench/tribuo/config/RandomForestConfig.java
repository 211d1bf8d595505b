package org.modelbench.tribuo.config;

/**
 * Parameters of {@code tribuo-random-forest}: bagged CART trees (Tribuo's {@code RandomForestTrainer}),
 * each split choosing the best threshold among a random subset of the features, combined by
 * majority vote; predicted probabilities are the voting proportions.
 *
 * @param trees           number of trees, {@code >= 1}; default 100
 * @param maxDepth        maximum depth of each tree, {@code >= 1}, or {@code 0} (default) for unlimited
 * @param featureFraction fraction of the features considered at each split (Tribuo samples
 *                        {@code round(fraction * d)} of the {@code d} features, at least one), in {@code (0, 1)}; default
 *                        0.1 (78 of MNIST's 784 pixels). A fixed default rather than {@code sqrt(d)/d}
 *                        so that the recorded configuration is complete without the data
 * @param minChildWeight  minimum number of (bootstrap-weighted) rows a node needs to be split, and the
 *                        smallest child it may create, {@code > 0}; default 1 (fully grown trees, as
 *                        in Breiman's forests)
 * @param seed            overrides the run's seed when present; {@code null} (default) uses the run's
 * @param splitter        {@code histogram} (default) or {@code exact} (Tribuo's own CART); see {@link Splitter}
 */
public record RandomForestConfig(Integer trees, Integer maxDepth, Double featureFraction, Double minChildWeight,
                                 Long seed, Splitter splitter) {

    public RandomForestConfig {
        trees = Checks.atLeast("trees", trees, 100, 1);
        maxDepth = Checks.depth("maxDepth", maxDepth);
        featureFraction = Checks.fraction("featureFraction", featureFraction, 0.1);
        if (featureFraction == 1.0) {
            throw new org.modelbench.api.ConfigException("featureFraction",
                    "expected a number in (0, 1) for a random forest (1 makes every tree see every feature;"
                            + " use tribuo-cart or a smaller fraction), got 1.0");
        }
        minChildWeight = Checks.positive("minChildWeight", minChildWeight, 1.0);
        splitter = splitter == null ? Splitter.HISTOGRAM : splitter;
    }

    /** The parameters with the default splitter. */
    public RandomForestConfig(Integer trees, Integer maxDepth, Double featureFraction, Double minChildWeight, Long seed) {
        this(trees, maxDepth, featureFraction, minChildWeight, seed, null);
    }

    /** All defaults. */
    public static RandomForestConfig defaults() {
        return new RandomForestConfig(null, null, null, null, null, null);
    }
}
