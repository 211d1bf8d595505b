package org.modelbench.tribuo.config;

/**
 * Parameters of {@code tribuo-cart}: one Gini CART tree (histogram, or Tribuo's
 * {@code CARTClassificationTrainer}; see {@link Splitter}); predicted probabilities are the class
 * proportions of the leaf.
 *
 * @param maxDepth        maximum depth, {@code >= 1}, or {@code 0} (default) for unlimited
 * @param featureFraction fraction of the features considered at each split (Tribuo samples
 *                        {@code round(fraction * d)} of the {@code d} features, at least one), in {@code (0, 1]}; default 1
 * @param minChildWeight  minimum number of rows a node needs to be split, {@code > 0}; default 5
 *                        (Tribuo's default)
 * @param seed            overrides the run's seed when present; {@code null} (default) uses the run's
 * @param splitter        {@code histogram} (default) or {@code exact} (Tribuo's own CART); see {@link Splitter}
 */
public record CartConfig(Integer maxDepth, Double featureFraction, Double minChildWeight, Long seed, Splitter splitter) {

    public CartConfig {
        maxDepth = Checks.depth("maxDepth", maxDepth);
        featureFraction = Checks.fraction("featureFraction", featureFraction, 1.0);
        minChildWeight = Checks.positive("minChildWeight", minChildWeight, 5.0);
        splitter = splitter == null ? Splitter.HISTOGRAM : splitter;
    }

    /** The parameters with the default splitter. */
    public CartConfig(Integer maxDepth, Double featureFraction, Double minChildWeight, Long seed) {
        this(maxDepth, featureFraction, minChildWeight, seed, null);
    }

    /** All defaults. */
    public static CartConfig defaults() {
        return new CartConfig(null, null, null, null, null);
    }
}
