package org.modelbench.api;

import java.time.Duration;

/**
 * Progress of one {@link Trainer#train} call. Epochs and batches count from 1. Families without
 * epochs (tree ensembles) report one epoch whose "batches" are their units of work (trees).
 */
public sealed interface TrainingEvent {

    /**
     * Training begins.
     *
     * @param epochs          the planned number of epochs
     * @param batchesPerEpoch the number of batches (or units of work) in each epoch
     * @param samples         the number of training rows
     */
    record Started(int epochs, int batchesPerEpoch, int samples) implements TrainingEvent {
    }

    /**
     * A batch has been applied.
     *
     * @param epoch   the current epoch
     * @param batch   the batch just finished, in {@code [1, batches]}
     * @param batches batches in this epoch
     * @param samples rows in the batch
     * @param loss    the batch's mean training loss, or NaN when the family has none
     */
    record BatchFinished(int epoch, int batch, int batches, int samples, double loss) implements TrainingEvent {
    }

    /**
     * An epoch has ended.
     *
     * @param epoch              the epoch just finished
     * @param epochs             the planned number of epochs
     * @param trainLoss          mean training loss over the epoch (NaN if none)
     * @param trainAccuracy      training accuracy over the epoch (NaN if not measured)
     * @param validationLoss     loss on the validation rows (NaN without validation data)
     * @param validationAccuracy accuracy on the validation rows (NaN without validation data)
     * @param elapsed            wall time of the epoch
     */
    record EpochFinished(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, Duration elapsed) implements TrainingEvent {
    }

    /**
     * Training has ended.
     *
     * @param epochsRun the epochs actually run (fewer than planned after early stopping)
     * @param reason    why it ended, e.g. {@code completed} or {@code early stopping at epoch 7}
     * @param elapsed   total wall time
     */
    record Finished(int epochsRun, String reason, Duration elapsed) implements TrainingEvent {
    }

    /** A line worth showing to the user (e.g. a warning from a backend). */
    record Message(String text) implements TrainingEvent {
    }
}
