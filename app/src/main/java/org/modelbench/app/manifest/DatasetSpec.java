package org.modelbench.app.manifest;

import java.util.Map;
import org.modelbench.api.ConfigException;

/**
 * The data of an experiment: a dataset provider by {@code id} (a built-in dataset such as {@code mnist}
 * or {@code iris}, or a format such as {@code csv} with its {@code params}) or four IDX files,
 * optional subsets, a validation split or K-fold cross-validation, and the default preprocessing.
 *
 * <p>The train subset and the validation split are drawn per trial from the trial's seed
 * (stratified by class), so that seeds resample the data as the corrected resampled t-test assumes;
 * the test subset is fixed (drawn once with {@link #TEST_SUBSET_SEED}) so every trial is scored on
 * the same rows and McNemar's test can pair them.
 *
 * <p>With {@code folds: K}, the train and test rows together are split into K stratified folds per
 * seed (drawn from the seed); each (model, seed, fold) is a trial that trains on K - 1 folds and
 * tests on the remaining one.
 *
 * @param id              a dataset provider id ({@code modelbench datasets}); exclusive with {@code files}
 * @param params          the provider's parameters (a format's files and columns), bound to its config record
 * @param files           IDX files, paths relative to the manifest; exclusive with {@code id}
 * @param trainSize       rows drawn from the train split (before the validation split), default all
 * @param testSize        rows drawn from the test split, default all
 * @param validationSplit the fraction of the training rows held out for validation, in [0, 0.5], default 0
 * @param folds           K >= 2 for stratified K-fold cross-validation over all rows; default none (the fixed test
 *                        split)
 * @param preprocessing   the default preprocessing of every model
 * @param label           the dataset's name in a suite ({@code datasets:}): folder-safe, unique in the manifest,
 *                        the first part of its trial ids; default the provider id
 */
public record DatasetSpec(String id, Map<String, Object> params, IdxFiles files, Integer trainSize, Integer testSize,
                          Double validationSplit, Integer folds, Preprocessing preprocessing, String label) {

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
        if (params != null && id == null) {
            throw new ConfigException("params", "expected params only with an 'id' (a dataset provider)");
        }
        params = params == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        if (folds != null) {
            if (folds < 2 || folds > 1000) {
                throw new ConfigException("folds", "expected an integer K from 2 to 1000 (K-fold cross-validation), got "
                        + folds);
            }
            if (trainSize != null || testSize != null) {
                throw new ConfigException("folds", "cross-validation uses every row; expected no trainSize or testSize "
                        + "with folds");
            }
        }
        preprocessing = preprocessing == null ? Preprocessing.NONE : preprocessing;
        if (label != null) {
            Names.require(label, "label");
        }
    }

    /** This entry with {@code label} filled in (a suite's entries always have one). */
    public DatasetSpec labelled(String label) {
        return new DatasetSpec(id, params, files, trainSize, testSize, validationSplit, folds, preprocessing, label);
    }

    /** Whether trials cross-validate over {@link #folds()} folds instead of using the fixed test split. */
    public boolean crossValidated() {
        return folds != null;
    }

    /** A short name for reports and plans: the label when given, else the provider id or the train images file. */
    public String title() {
        return label != null ? label : id != null ? id : files.trainImages();
    }
}
