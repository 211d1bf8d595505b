package org.modelbench.engine.config;

import java.util.List;
import org.modelbench.api.ConfigException;

/**
 * The {@code cnn1d} preset, a 1-d CNN for time series on {@code [channels, length]} samples: per
 * entry {@code f} of {@code filters}, {@code conv1d(f, kernel, same, relu) -> maxpool1d(pool)}; then
 * {@code global-avgpool -> [dropout] -> dense(classes, softmax)}.
 *
 * @param filters       filters of each convolution block, default {@code [32, 64]}
 * @param kernel        taps of every convolution, default 5
 * @param pool          max-pooling window (and stride) after each convolution, default 2
 * @param dropout       dropout rate before the output layer, default 0 (none)
 * @param l2            L2 penalty on every kernel, default 0
 * @param epochs        default 20
 * @param batchSize     default 32
 * @param optimizer     default adam
 * @param schedule      default constant
 * @param earlyStopping default none
 * @param loss          default cross-entropy
 */
public record Cnn1DConfig(List<Integer> filters, Integer kernel, Integer pool, Float dropout, Float l2, Integer epochs,
                          Integer batchSize, OptimizerConfig optimizer, ScheduleConfig schedule,
                          EarlyStoppingConfig earlyStopping, LossFunction loss) implements FamilyConfig {
    public Cnn1DConfig {
        filters = filters == null ? List.of(32, 64) : List.copyOf(filters);
        if (filters.isEmpty()) {
            throw new ConfigException("filters", "expected a non-empty list of integers >= 1");
        }
        for (int i = 0; i < filters.size(); i++) {
            if (filters.get(i) == null || filters.get(i) < 1) {
                throw new ConfigException("filters[" + i + "]", "expected an integer >= 1, got " + filters.get(i));
            }
        }
        kernel = LayerConfigs.atLeast(kernel, "kernel", 1, 5);
        pool = LayerConfigs.atLeast(pool, "pool", 1, 2);
        dropout = LayerConfigs.fraction(dropout, "dropout", 0f);
        l2 = LayerConfigs.nonNegative(l2, "l2", 0f);
        TrainingSettings t = TrainingSettings.of(epochs, 20, batchSize == null ? 32 : batchSize, optimizer, schedule,
                earlyStopping, loss);
        epochs = t.epochs();
        batchSize = t.batchSize();
        optimizer = t.optimizer();
        schedule = t.schedule();
        loss = t.loss();
    }

    /** All defaults. */
    public static Cnn1DConfig defaults() {
        return new Cnn1DConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public TrainingSettings training() {
        return new TrainingSettings(epochs, batchSize, optimizer, schedule, earlyStopping, loss);
    }
}
