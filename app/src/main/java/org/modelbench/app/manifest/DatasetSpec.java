package org.modelbench.app.manifest;

import org.modelbench.api.ConfigException;

/**
 * The data of an experiment: a dataset provider by {@code id} (e.g. {@code mnist}) or four IDX
 * files, optional subsets, a validation split and the default preprocessing.
 *
 * <p>The train subset and the validation split are drawn per trial from the trial's seed
 * (stratified by class), so that seeds resample the data as the corrected resampled t-test assumes;
 * the test subset is fixed (drawn once with {@link #TEST_SUBSET_SEED}) so every trial is scored on
 * the same rows and McNemar's test can pair them.
 *
 * @param id              a dataset provider id ({@code modelbench datasets}); exclusive with {@code files}
 * @param files           IDX files, paths relative to the manifest; exclusive with {@code id}
 * @param trainSize       rows drawn from the train split (before the validation split), default all
 * @param testSize        rows drawn from the test split, default all
 * @param validationSplit the fraction of the training rows held out for validation, in [0, 0.5], default 0
 * @param preprocessing   the default preprocessing of every model
 */
public record DatasetSpec(String id, IdxFiles files, Integer trainSize, Integer testSize, Double validationSplit,
                          Preprocessing preprocessing) {

    /** The seed of the fixed test subset. */
    public static final long TEST_SUBSET_SEED = 0x7E57L;

    public DatasetSpec {
        if ((id == null) == (files == null)) {
            throw new ConfigException(id == null ? "id" : "files", "expected exactly one of 'id' (a dataset provider) "
                    + "or 'files' (IDX files), got " + (id == null ? "neither" : "both"));
        }
        if (trainSize != null && trainSize < 2) {
            throw new ConfigException("trainSize", "expected an integer >= 2, got " + trainSize);
        }
        if (testSize != null && testSize < 1) {
            throw new ConfigException("testSize", "expected an integer >= 1, got " + testSize);
        }
        validationSplit = validationSplit == null ? 0.0 : validationSplit;
        if (!(validationSplit >= 0 && validationSplit <= 0.5)) {
            throw new ConfigException("validationSplit", "expected a number in [0, 0.5], got " + validationSplit);
        }
        preprocessing = preprocessing == null ? Preprocessing.NONE : preprocessing;
    }

    /** A short label for reports: the provider id or the train images file. */
    public String label() {
        return id != null ? id : files.trainImages();
    }
}
