package org.modelbench.engine.config;

/**
 * Training settings of a preset architecture ({@code seed-cnn}, {@code lenet5}, {@code alexnet},
 * {@code vgg16}); the layers are fixed by the preset, the output layer has one unit per class.
 *
 * @param l2            L2 penalty on every kernel, default 0
 * @param epochs        default 12 (Keras' mnist_cnn)
 * @param batchSize     default 128
 * @param optimizer     default adadelta with learning rate 1.0 (Keras' mnist_cnn)
 * @param schedule      default constant
 * @param earlyStopping default none
 * @param loss          default cross-entropy
 */
public record PresetConfig(Float l2, Integer epochs, Integer batchSize, OptimizerConfig optimizer,
                           ScheduleConfig schedule, EarlyStoppingConfig earlyStopping, LossFunction loss)
        implements FamilyConfig {
    public PresetConfig {
        l2 = LayerConfigs.nonNegative(l2, "l2", 0f);
        optimizer = optimizer == null ? OptimizerConfig.of(OptimizerConfig.Type.ADADELTA) : optimizer;
        TrainingSettings t = TrainingSettings.of(epochs, 12, batchSize, optimizer, schedule, earlyStopping, loss);
        epochs = t.epochs();
        batchSize = t.batchSize();
        schedule = t.schedule();
        loss = t.loss();
    }

    /** All defaults. */
    public static PresetConfig defaults() {
        return new PresetConfig(null, null, null, null, null, null, null);
    }

    @Override
    public TrainingSettings training() {
        return new TrainingSettings(epochs, batchSize, optimizer, schedule, earlyStopping, loss);
    }
}
