package org.modelbench.onnx.internal;

import java.time.Duration;
import java.util.List;
import org.modelbench.api.RunContext;
import org.modelbench.api.TrainingEvent;

/**
 * Presents two training stages (head training, then fine-tuning) to the run's listeners as one
 * training: one {@code Started} announcing the epochs of both, epochs numbered on across the stages,
 * one {@code Finished} at the end. Seeds and threads are the run's own.
 */
final class TrainingStages {
    private final RunContext context;
    private final int firstEpochs;
    private final int totalEpochs;
    private Duration firstElapsed = Duration.ZERO;
    private int firstRun;

    TrainingStages(RunContext context, int firstEpochs, int secondEpochs) {
        this.context = context;
        this.firstEpochs = firstEpochs;
        this.totalEpochs = firstEpochs + secondEpochs;
    }

    /** The context for the first stage. */
    RunContext first() {
        return new RunContext(context.seed(), context.threads(), List.of(event -> {
            if (event instanceof TrainingEvent.Started s) {
                context.emit(new TrainingEvent.Started(totalEpochs, s.batchesPerEpoch(), s.samples()));
            } else if (event instanceof TrainingEvent.EpochFinished e) {
                context.emit(new TrainingEvent.EpochFinished(e.epoch(), totalEpochs, e.trainLoss(), e.trainAccuracy(),
                        e.validationLoss(), e.validationAccuracy(), e.elapsed()));
            } else if (event instanceof TrainingEvent.Finished f) {
                firstElapsed = f.elapsed();
                firstRun = f.epochsRun();
            } else {
                context.emit(event);
            }
        }), context.workDirectory());
    }

    /** The context for the second stage. */
    RunContext second() {
        return new RunContext(context.seed(), context.threads(), List.of(event -> {
            if (event instanceof TrainingEvent.Started) {
                return;
            }
            if (event instanceof TrainingEvent.BatchFinished b) {
                context.emit(new TrainingEvent.BatchFinished(b.epoch() + firstEpochs, b.batch(), b.batches(), b.samples(),
                        b.loss()));
            } else if (event instanceof TrainingEvent.EpochFinished e) {
                context.emit(new TrainingEvent.EpochFinished(e.epoch() + firstEpochs, totalEpochs, e.trainLoss(),
                        e.trainAccuracy(), e.validationLoss(), e.validationAccuracy(), e.elapsed()));
            } else if (event instanceof TrainingEvent.Finished f) {
                context.emit(new TrainingEvent.Finished(firstRun + f.epochsRun(), f.reason() + " (head "
                        + firstRun + " epochs, fine-tuning " + f.epochsRun() + ")", firstElapsed.plus(f.elapsed())));
            } else {
                context.emit(event);
            }
        }), context.workDirectory());
    }
}
