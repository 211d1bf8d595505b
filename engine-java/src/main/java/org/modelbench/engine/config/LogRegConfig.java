package org.modelbench.engine.config;

/**
 * Multinomial logistic regression: {@code flatten -> dense(classes, softmax)}.
 *
 * @param l2            L2 penalty on the weights, default 0
 * @param epochs        default 10
 * @param batchSize     default 128
 * @param optimizer     default sgd (learning rate 0.01)
 * @param schedule      default constant
 * @param earlyStopping default none
 * @param loss          default cross-entropy
 */
public record LogRegConfig(Float l2, Integer epochs, Integer batchSize, OptimizerConfig optimizer,
                           ScheduleConfig schedule, EarlyStoppingConfig earlyStopping, LossFunction loss)
        implements FamilyConfig {
    public LogRegConfig {
        l2 = LayerConfigs.nonNegative(l2, "l2", 0f);
        optimizer = optimizer == null ? OptimizerConfig.of(OptimizerConfig.Type.SGD) : optimizer;
        TrainingSettings t = TrainingSettings.of(epochs, 10, batchSize, optimizer, schedule, earlyStopping, loss);
        epochs = t.epochs();
        batchSize = t.batchSize();
        schedule = t.schedule();
        loss = t.loss();
    }

    /** All defaults. */
    public static LogRegConfig defaults() {
        return new LogRegConfig(null, null, null, null, null, null, null);
    }

    @Override
    public TrainingSettings training() {
        return new TrainingSettings(epochs, batchSize, optimizer, schedule, earlyStopping, loss);
    }
}
