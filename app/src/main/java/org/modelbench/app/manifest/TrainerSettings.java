package org.modelbench.app.manifest;

import org.modelbench.api.ConfigException;

/**
 * How the runner drives a family's trainer (the family's own settings, such as epochs, are in
 * {@code params}).
 *
 * @param threads        threads the trainer may use, {@code >= 1}; default all processors. Families
 *                       promise results that do not depend on it; it is recorded in provenance
 * @param evalBatchSize  rows per prediction batch when scoring, {@code >= 1}; default 1000
 * @param useValidation  whether the trainer gets the validation rows (for learning curves and early
 *                       stopping); default true
 */
public record TrainerSettings(Integer threads, Integer evalBatchSize, Boolean useValidation) {

    public TrainerSettings {
        threads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (threads < 1 || threads > 1024) {
            throw new ConfigException("threads", "expected an integer in [1, 1024], got " + threads);
        }
        evalBatchSize = evalBatchSize == null ? 1000 : evalBatchSize;
        if (evalBatchSize < 1) {
            throw new ConfigException("evalBatchSize", "expected an integer >= 1, got " + evalBatchSize);
        }
        useValidation = useValidation == null || useValidation;
    }
}
