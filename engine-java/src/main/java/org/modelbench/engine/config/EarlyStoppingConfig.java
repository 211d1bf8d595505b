package org.modelbench.engine.config;

/**
 * Stops training when a validation metric has not improved for {@code patience} epochs. Without
 * validation data it is ignored (with a message event).
 *
 * @param metric      {@code val-loss} (lower is better) or {@code val-accuracy}, default val-loss
 * @param patience    epochs without improvement before stopping, {@code >= 1}, default 3
 * @param minDelta    the smallest change that counts as an improvement, default 0
 * @param restoreBest whether to end with the weights of the best epoch, default true
 */
public record EarlyStoppingConfig(Metric metric, Integer patience, Float minDelta, Boolean restoreBest) {

    /** Monitored metrics. */
    public enum Metric { VAL_LOSS, VAL_ACCURACY }

    public EarlyStoppingConfig {
        metric = metric == null ? Metric.VAL_LOSS : metric;
        patience = LayerConfigs.atLeast(patience, "patience", 1, 3);
        minDelta = LayerConfigs.nonNegative(minDelta, "minDelta", 0f);
        restoreBest = restoreBest == null || restoreBest;
    }
}
