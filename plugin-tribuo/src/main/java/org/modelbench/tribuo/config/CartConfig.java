package org.modelbench.tribuo.config;

/**
 * Parameters of {@code tribuo-cart}: one CART tree (Tribuo's {@code CARTClassificationTrainer}, Gini
 * impurity); predicted probabilities are the class proportions of the leaf.
 *
 * @param maxDepth        maximum depth, {@code >= 1}, or {@code 0} (default) for unlimited
 * @param featureFraction fraction of the features considered at each split, in {@code (0, 1]}; default 1
 * @param minChildWeight  minimum number of rows a node needs to be split, {@code > 0}; default 5
 *                        (Tribuo's default)
 * @param seed            overrides the run's seed when present; {@code null} (default) uses the run's
 */
public record CartConfig(Integer maxDepth, Double featureFraction, Double minChildWeight, Long seed) {

    public CartConfig {
        maxDepth = Checks.depth("maxDepth", maxDepth);
        featureFraction = Checks.fraction("featureFraction", featureFraction, 1.0);
        minChildWeight = Checks.positive("minChildWeight", minChildWeight, 5.0);
    }

    /** All defaults. */
    public static CartConfig defaults() {
        return new CartConfig(null, null, null, null);
    }
}
