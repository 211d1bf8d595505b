package org.modelbench.app.manifest;

import org.modelbench.api.ConfigException;

/**
 * A model entry's hyperparameter search, {@code search:}: how its {@code params} distributions
 * ({@code {grid: [..]}}, {@code {choice: [..]}}, {@code {uniform: [a, b]}}, {@code {loguniform: [a, b]}})
 * expand into candidate configurations, and how one is selected per seed (and fold).
 *
 * @param strategy {@code grid} (every combination of the grid and choice values) or {@code random}
 *                 ({@code trials} candidates drawn from a seeded generator)
 * @param trials   the number of random candidates, {@code >= 1}; required for random, refused for grid
 * @param select   the selection metric, measured on the validation rows only: {@code validation-accuracy}
 *                 (the default; ties go to the lowest candidate index)
 * @param seed     the seed of the random draws, {@code >= 0}; default derived from the model id, so the same
 *                 manifest gives the same candidates on any machine
 */
public record SearchSpec(Strategy strategy, Integer trials, String select, Long seed) {
    /** The only selection metric so far. */
    public static final String VALIDATION_ACCURACY = "validation-accuracy";

    /** The most candidates a search may expand into (a grid's product is checked against it before expanding). */
    public static final int MAX_CANDIDATES = 1_000_000;

    /** How candidates are produced. */
    public enum Strategy {
        /** Every combination of the grid and choice values, the last key varying fastest. */
        GRID,
        /** {@code trials} candidates drawn independently from a seeded generator. */
        RANDOM
    }

    public SearchSpec {
        if (strategy == null) {
            throw new ConfigException("strategy", "missing; expected grid or random");
        }
        if (strategy == Strategy.RANDOM && trials == null) {
            throw new ConfigException("trials", "missing; expected the number of random candidates (an integer >= 1)");
        }
        if (strategy == Strategy.GRID && trials != null) {
            throw new ConfigException("trials", "a grid search tries every combination; expected no trials with "
                    + "strategy grid, got " + trials);
        }
        if (trials != null && (trials < 1 || trials > MAX_CANDIDATES)) {
            throw new ConfigException("trials", "expected an integer from 1 to " + MAX_CANDIDATES + ", got " + trials);
        }
        select = select == null ? VALIDATION_ACCURACY : select;
        if (!select.equals(VALIDATION_ACCURACY)) {
            throw new ConfigException("select", "expected " + VALIDATION_ACCURACY + ", got \"" + select + "\"");
        }
        if (seed != null && seed < 0) {
            throw new ConfigException("seed", "expected an integer >= 0, got " + seed);
        }
    }
}
