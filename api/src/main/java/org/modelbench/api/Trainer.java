package org.modelbench.api;

import java.util.Optional;

/**
 * Trains models of one family with one configuration.
 *
 * <p>A trainer is reusable and stateless between calls: each {@link #train} derives all randomness
 * (initialisation, shuffling, dropout masks) from {@link RunContext#seed()} and starts from fresh
 * optimiser state, so the same data and context give bit-identical models, whatever ran before.
 * Lifecycle of one call: {@link TrainingEvent.Started}, then per epoch {@link TrainingEvent.BatchFinished}*
 * and {@link TrainingEvent.EpochFinished}, then {@link TrainingEvent.Finished}, each sent to the context's
 * listeners on the calling thread.
 */
public interface Trainer {

    /**
     * Trains a model.
     *
     * @param train      the training rows
     * @param validation rows for early stopping and learning curves, if any
     * @param context    seed, threads, listeners and work folder
     * @throws TrainingDivergedException when the loss becomes NaN or infinite
     * @throws InvalidInputException     when the data does not fit the configuration
     */
    Model train(Dataset train, Optional<Dataset> validation, RunContext context);

    /**
     * Whether {@link #train} applies {@link RunContext#augmenter()} to every training batch of every
     * epoch (seeded by {@link RunContext#augmentationSeed}). Trainers that do not (the default) get
     * augmented rows as extra copies in the training data instead, made by the caller.
     */
    default boolean appliesAugmentation() {
        return false;
    }

    /** Trains without validation data. */
    default Model train(Dataset train, RunContext context) {
        return train(train, Optional.empty(), context);
    }
}
