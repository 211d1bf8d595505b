package org.modelbench.engine.graph;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link NetworkTrainer#fit} call did.
 *
 * @param epochs    one entry per epoch run
 * @param bestEpoch the epoch whose weights the network ends with (the last unless early stopping restored another)
 * @param reason    {@code completed} or {@code early stopping at epoch e (best epoch b)}
 * @param elapsed   wall time
 */
public record TrainingHistory(List<Epoch> epochs, int bestEpoch, String reason, Duration elapsed) {
    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /**
     * One epoch's metrics; validation values are NaN without validation data.
     *
     * @param epoch              from 1
     * @param learningRate       the rate used in this epoch
     * @param trainLoss          mean loss over the epoch's batches (including the L2 penalty)
     * @param trainAccuracy      accuracy of the training forward passes (dropout active)
     * @param validationLoss     loss on the validation data (without the L2 penalty)
     * @param validationAccuracy accuracy on the validation data
     * @param elapsed            wall time of the epoch
     */
    public record Epoch(int epoch, double learningRate, double trainLoss, double trainAccuracy, double validationLoss,
                        double validationAccuracy, Duration elapsed) {
    }
}
