package org.modelbench.app.manifest;

import org.modelbench.api.ConfigException;

/**
 * How raw features become model inputs, applied in this order: divide by {@code rescale}, then
 * (when {@code standardize}) subtract each channel's (for a table: each feature column's) mean and
 * divide by its standard deviation, both measured on the trial's training rows only; augmentation adds shifted copies of the
 * training rows.
 *
 * @param rescale      divide every value by this, {@code > 0}; default 1 (raw values)
 * @param standardize  per-channel (tables: per-column) standardisation with training statistics; default false
 * @param augmentation training-set augmentation; default none
 */
public record Preprocessing(Double rescale, Boolean standardize, Augmentation augmentation) {

    /** No preprocessing: raw values. */
    public static final Preprocessing NONE = new Preprocessing(null, null, null);

    public Preprocessing {
        rescale = rescale == null ? 1.0 : rescale;
        if (!(rescale > 0) || rescale.isInfinite()) {
            throw new ConfigException("rescale", "expected a number > 0, got " + rescale);
        }
        standardize = standardize != null && standardize;
        augmentation = augmentation == null ? Augmentation.NONE : augmentation;
    }
}
