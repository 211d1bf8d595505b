package org.modelbench.tribuo.config;

/**
 * Parameters of {@code tribuo-extra-trees}: Tribuo's {@code ExtraTreesTrainer}, bagged CART trees whose
 * splits take one random threshold per candidate feature and keep the best of those, combined by
 * majority vote.
 *
 * @param trees           number of trees, {@code >= 1}; default 100
 * @param maxDepth        maximum depth of each tree, {@code >= 1}, or {@code 0} (default) for unlimited
 * @param featureFraction fraction of the features considered at each split (Tribuo samples
 *                        {@code round(fraction * d)} of the {@code d} features, at least one), in {@code (0, 1]}; default 0.1
 * @param minChildWeight  minimum number of rows a node needs to be split, {@code > 0}; default 1
 * @param seed            overrides the run's seed when present; {@code null} (default) uses the run's
 * @param splitter        {@code histogram} (default) or {@code exact} (Tribuo's own CART); see {@link Splitter}
 */
public record ExtraTreesConfig(Integer trees, Integer maxDepth, Double featureFraction, Double minChildWeight,
                               Long seed, Splitter splitter) {

    public ExtraTreesConfig {
        trees = Checks.atLeast("trees", trees, 100, 1);
        maxDepth = Checks.depth("maxDepth", maxDepth);
        featureFraction = Checks.fraction("featureFraction", featureFraction, 0.1);
        minChildWeight = Checks.positive("minChildWeight", minChildWeight, 1.0);
        splitter = splitter == null ? Splitter.HISTOGRAM : splitter;
    }

    /** The parameters with the default splitter. */
    public ExtraTreesConfig(Integer trees, Integer maxDepth, Double featureFraction, Double minChildWeight, Long seed) {
        this(trees, maxDepth, featureFraction, minChildWeight, seed, null);
    }

    /** All defaults. */
    public static ExtraTreesConfig defaults() {
        return new ExtraTreesConfig(null, null, null, null, null, null);
    }
}
