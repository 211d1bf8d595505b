package org.modelbench.engine.config;

import org.modelbench.api.ConfigException;

/**
 * How a network is trained (the part every family config shares).
 *
 * @param epochs        the planned number of passes, {@code >= 1}
 * @param batchSize     rows per step, {@code >= 1}
 * @param optimizer     the optimiser
 * @param schedule      the learning-rate schedule
 * @param earlyStopping early stopping, or {@code null} for none
 * @param loss          the loss
 */
public record TrainingSettings(int epochs, int batchSize, OptimizerConfig optimizer, ScheduleConfig schedule,
                               EarlyStoppingConfig earlyStopping, LossFunction loss) {
    public TrainingSettings {
        if (epochs < 1) {
            throw new ConfigException("epochs", "expected an integer >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new ConfigException("batchSize", "expected an integer >= 1, got " + batchSize);
        }
        optimizer = optimizer == null ? OptimizerConfig.of(OptimizerConfig.Type.ADAM) : optimizer;
        schedule = schedule == null ? ScheduleConfig.constant() : schedule;
        loss = loss == null ? LossFunction.CROSS_ENTROPY : loss;
    }

    /** Settings from a family config's (possibly null) values, with the given defaults. */
    public static TrainingSettings of(Integer epochs, int defaultEpochs, Integer batchSize, OptimizerConfig optimizer,
                                      ScheduleConfig schedule, EarlyStoppingConfig earlyStopping, LossFunction loss) {
        return new TrainingSettings(epochs == null ? defaultEpochs : epochs, batchSize == null ? 128 : batchSize,
                optimizer, schedule, earlyStopping, loss);
    }
}
