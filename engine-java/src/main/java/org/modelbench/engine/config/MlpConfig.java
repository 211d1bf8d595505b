package org.modelbench.engine.config;

import java.util.List;
import org.modelbench.api.ConfigException;

/**
 * A multi-layer perceptron: {@code flatten -> [dense(h, activation) -> dropout]* -> dense(classes, softmax)}.
 *
 * @param hidden        hidden layer sizes, default {@code [512, 512]} (Keras' mnist_mlp)
 * @param activation    hidden activation, default relu
 * @param dropout       dropout rate after each hidden layer, default 0 (none)
 * @param l2            L2 penalty on every kernel, default 0
 * @param initializer   kernel initialisation, default glorot-uniform
 * @param epochs        default 20
 * @param batchSize     default 128
 * @param optimizer     default rmsprop (as mnist_mlp)
 * @param schedule      default constant
 * @param earlyStopping default none
 * @param loss          default cross-entropy
 */
public record MlpConfig(List<Integer> hidden, Activation activation, Float dropout, Float l2, Initializer initializer,
                        Integer epochs, Integer batchSize, OptimizerConfig optimizer, ScheduleConfig schedule,
                        EarlyStoppingConfig earlyStopping, LossFunction loss) implements FamilyConfig {
    public MlpConfig {
        hidden = hidden == null ? List.of(512, 512) : List.copyOf(hidden);
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i) == null || hidden.get(i) < 1) {
                throw new ConfigException("hidden[" + i + "]", "expected an integer >= 1, got " + hidden.get(i));
            }
        }
        activation = activation == null ? Activation.RELU : activation;
        dropout = LayerConfigs.fraction(dropout, "dropout", 0f);
        l2 = LayerConfigs.nonNegative(l2, "l2", 0f);
        initializer = initializer == null ? Initializer.GLOROT_UNIFORM : initializer;
        optimizer = optimizer == null ? OptimizerConfig.of(OptimizerConfig.Type.RMSPROP) : optimizer;
        TrainingSettings t = TrainingSettings.of(epochs, 20, batchSize, optimizer, schedule, earlyStopping, loss);
        epochs = t.epochs();
        batchSize = t.batchSize();
        schedule = t.schedule();
        loss = t.loss();
    }

    /** All defaults. */
    public static MlpConfig defaults() {
        return new MlpConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public TrainingSettings training() {
        return new TrainingSettings(epochs, batchSize, optimizer, schedule, earlyStopping, loss);
    }
}
