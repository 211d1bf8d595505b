package org.modelbench.tribuo.config;

/**
 * Parameters of {@code tribuo-logistic}: multinomial logistic regression trained by Tribuo's
 * {@code LinearSGDTrainer} with the {@code LogMulticlass} loss and the AdaGrad optimiser (Tribuo's
 * {@code LogisticRegressionTrainer} recipe, with its knobs exposed).
 *
 * @param epochs        passes over the training rows, {@code >= 1}; default 5
 * @param learningRate  AdaGrad's initial learning rate, {@code > 0}; default 1.0
 * @param minibatchSize rows per update, {@code >= 1}; default 1
 * @param seed          overrides the run's seed when present; {@code null} (default) uses the run's
 */
public record LogisticConfig(Integer epochs, Double learningRate, Integer minibatchSize, Long seed) {

    public LogisticConfig {
        epochs = Checks.atLeast("epochs", epochs, 5, 1);
        learningRate = Checks.positive("learningRate", learningRate, 1.0);
        minibatchSize = Checks.atLeast("minibatchSize", minibatchSize, 1, 1);
    }

    /** All defaults. */
    public static LogisticConfig defaults() {
        return new LogisticConfig(null, null, null, null);
    }
}
