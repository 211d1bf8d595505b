package org.modelbench.tribuo.config;

/**
 * How the Tribuo tree families find their splits (manifest key {@code splitter}).
 */
public enum Splitter {
    /**
     * The default: features quantised once per dataset into at most 256 bins (one bin per value
     * when a feature has at most 256 distinct values, as MNIST's pixels do, so the candidate
     * thresholds are exact CART's), per-node class histograms, trees trained in parallel on the
     * run's threads.
     */
    HISTOGRAM,
    /** Tribuo's own {@code CARTClassificationTrainer}: sorted per-node feature lists; much slower and larger. */
    EXACT
}
