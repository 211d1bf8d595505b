package org.modelbench.engine.config;

import java.util.List;
import java.util.Map;
import org.modelbench.api.ConfigException;

/**
 * Any sequential network given as layer specs, e.g.
 * {@code [{type: conv2d, filters: 32, kernel: 3, activation: relu}, {type: flatten}, {type: dense, units: 10, activation: softmax}]}.
 * Each spec's {@code type} names a layer provider and its other keys bind to that provider's config.
 * A layer reads the previous one unless its spec names {@code inputs} (node names, or {@code input}
 * for the network input); {@code name} overrides the Keras-style default name ({@code conv2d_1},
 * {@code add_1}, ...). That makes the same list a graph: residual {@code add}s and {@code concat}s.
 * The last layer must output one value per class.
 *
 * @param layers        the layer specs (required, non-empty)
 * @param epochs        default 12
 * @param batchSize     default 128
 * @param optimizer     default adam
 * @param schedule      default constant
 * @param earlyStopping default none
 * @param loss          default cross-entropy
 */
public record CnnConfig(List<Map<String, Object>> layers, Integer epochs, Integer batchSize, OptimizerConfig optimizer,
                        ScheduleConfig schedule, EarlyStoppingConfig earlyStopping, LossFunction loss)
        implements FamilyConfig {
    public CnnConfig {
        if (layers == null || layers.isEmpty()) {
            throw new ConfigException("layers", "missing; expected a non-empty list of layer specs such as "
                    + "{type: dense, units: 10, activation: softmax}");
        }
        layers = List.copyOf(layers);
        TrainingSettings t = TrainingSettings.of(epochs, 12, batchSize, optimizer, schedule, earlyStopping, loss);
        epochs = t.epochs();
        batchSize = t.batchSize();
        optimizer = t.optimizer();
        schedule = t.schedule();
        loss = t.loss();
    }

    @Override
    public TrainingSettings training() {
        return new TrainingSettings(epochs, batchSize, optimizer, schedule, earlyStopping, loss);
    }
}
