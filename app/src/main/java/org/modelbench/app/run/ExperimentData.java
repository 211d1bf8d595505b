package org.modelbench.app.run;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.modelbench.api.Augmenter;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.RunContext;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.app.manifest.Augmentation;
import org.modelbench.app.manifest.DatasetSpec;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.IdxFiles;
import org.modelbench.app.manifest.Preprocessing;
import org.modelbench.data.DataCache;
import org.modelbench.data.IdxArray;
import org.modelbench.data.IdxReader;
import org.modelbench.data.Stratified;

/**
 * The raw data of an experiment, loaded once, and each trial's prepared view of it.
 *
 * @param pool       the rows trials draw their training (and validation) rows from, raw values
 * @param test       the fixed test rows, raw values
 * @param fileHashes SHA-256 of every data file, by file name
 * @param spec       the manifest's dataset entry
 */
public record ExperimentData(Dataset pool, Dataset test, Map<String, String> fileHashes, DatasetSpec spec) {

    /**
     * Loads (fetching a provider's files if needed) and checks sizes.
     *
     * @throws InvalidInputException when the data does not fit the manifest
     */
    public static ExperimentData load(ExperimentPlan plan, Path cacheDirectory, Consumer<String> log) {
        DatasetSpec spec = plan.manifest().dataset();
        Dataset train;
        Dataset test;
        Map<String, String> hashes = new LinkedHashMap<>();
        if (plan.dataset() != null) {
            DatasetProvider provider = plan.dataset().provider();
            DatasetSplits splits = provider.load(plan.datasetRequest(cacheDirectory, log));
            train = splits.train();
            test = splits.test();
            for (Dataset part : List.of(train, test)) {
                part.metadata().forEach((key, value) -> {
                    if (key.startsWith("sha256:")) {
                        hashes.put(key.substring("sha256:".length()), value);
                    }
                });
            }
            for (DatasetProvider.CachedFile f : provider.files(cacheDirectory)) {
                hashes.computeIfAbsent(f.path().getFileName().toString(), k -> DataCache.sha256(f.path()));
            }
        } else {
            IdxFiles files = spec.files();
            Map<String, Path> paths = plan.dataFiles();
            train = readPair("train", paths.get("trainImages"), paths.get("trainLabels"), files.classNames());
            test = readPair("test", paths.get("testImages"), paths.get("testLabels"), files.classNames());
            for (Path p : paths.values()) {
                hashes.put(p.getFileName().toString(), DataCache.sha256(p));
            }
            if (!train.sampleShape().equals(test.sampleShape())) {
                throw new InvalidInputException("dataset.files: train images are " + train.sampleShape()
                        + " but test images are " + test.sampleShape() + "; expected the same size");
            }
        }
        if (spec.trainSize() != null && spec.trainSize() > train.size()) {
            throw new InvalidInputException("dataset.trainSize: expected at most " + train.size() + ", got "
                    + spec.trainSize());
        }
        if (spec.testSize() != null && spec.testSize() > test.size()) {
            throw new InvalidInputException("dataset.testSize: expected at most " + test.size() + ", got "
                    + spec.testSize());
        }
        if (spec.crossValidated()) {
            return new ExperimentData(concat(train, test), test, hashes, spec);
        }
        Dataset fixedTest = spec.testSize() == null ? test
                : test.select(Sampling.stratified(test.labels(), test.numClasses(), spec.testSize(),
                        DatasetSpec.TEST_SUBSET_SEED));
        return new ExperimentData(train, fixedTest, hashes, spec);
    }

    /** The rows of {@code a} then those of {@code b}. */
    private static Dataset concat(Dataset a, Dataset b) {
        float[] x = java.util.Arrays.copyOf(a.features().data(), a.features().data().length + b.features().data().length);
        System.arraycopy(b.features().data(), 0, x, a.features().data().length, b.features().data().length);
        int[] y = java.util.Arrays.copyOf(a.labels(), a.size() + b.size());
        System.arraycopy(b.labels(), 0, y, a.size(), b.size());
        return new Dataset(spec(a.name()), org.modelbench.api.Tensor.of(a.sampleShape().withBatch(y.length), x), y,
                a.classNames(), a.metadata());
    }

    private static String spec(String name) {
        return name.replaceFirst("/train$", "/all");
    }

    private static Dataset readPair(String split, Path images, Path labels, List<String> classNames) {
        IdxArray x = IdxReader.read(images, 3);
        IdxArray y = IdxReader.read(labels, 1);
        if (x.count() != y.count()) {
            throw new InvalidInputException(images + " holds " + x.count() + " images but " + labels + " holds "
                    + y.count() + " labels; expected the same count");
        }
        int[] values = y.toLabels();
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= classNames.size()) {
                throw new InvalidInputException(labels + ": label " + values[i] + " at index " + i + " but only "
                        + classNames.size() + " class names; expected labels 0 to " + (classNames.size() - 1));
            }
        }
        return new Dataset(split, x.toImageTensor(), values, classNames, Map.of("source", images.toString()));
    }

    /**
     * The data of trial {@code seed} under {@code preprocessing}: training rows drawn from the pool
     * (stratified), a stratified validation split, augmentation, then rescaling and standardisation
     * fitted on the training rows and applied to all three.
     */
    public TrialData forTrial(long seed, Preprocessing preprocessing) {
        return forTrial(seed, preprocessing, false);
    }

    /**
     * Like {@link #forTrial(long, Preprocessing)}; with {@code perBatchAugmentation} the training rows
     * are not augmented here but {@link TrialData#augmenter()} holds the augmentation for the trainer to
     * apply to every batch (its fill value is a raw 0 after preprocessing).
     */
    public TrialData forTrial(long seed, Preprocessing preprocessing, boolean perBatchAugmentation) {
        return forTrial(seed, -1, preprocessing, perBatchAugmentation);
    }

    /**
     * The data of trial ({@code seed}, {@code fold}): with cross-validation ({@code dataset.folds: K}), the pool's
     * rows are dealt into K stratified folds drawn from the seed, fold {@code fold} is the test set and the
     * other folds are the training rows (before the validation split); without, {@code fold} is -1 and the
     * fixed test rows are the test set.
     */
    public TrialData forTrial(long seed, int fold, Preprocessing preprocessing, boolean perBatchAugmentation) {
        RunContext seeds = seeds(seed, fold);
        Dataset test = fold >= 0 ? pool.select(foldRows(seeds, fold, true)) : this.test;
        Prepared prepared = prepare(split(seeds, fold), seeds, preprocessing, perBatchAugmentation);
        Dataset preparedTest = prepared.fitted().applyOwned(fold >= 0 ? test : test.withFeatures(test.features().copy()));
        return new TrialData(prepared.train(), prepared.validation(), rename(preparedTest, "test"), prepared.fitted(),
                prepared.augmenter());
    }

    /**
     * The data a search candidate of trial ({@code seed}, {@code fold}) sees: exactly the training and
     * validation rows of {@link #forTrial(long, int, Preprocessing, boolean)}, prepared the same way, and
     * no test rows at all (with folds, the validation split is an inner split of the fold's training rows).
     *
     * @throws InvalidInputException when the dataset has no validation split to select on
     */
    public SelectionData forSelection(long seed, int fold, Preprocessing preprocessing, boolean perBatchAugmentation) {
        RunContext seeds = seeds(seed, fold);
        Prepared prepared = prepare(split(seeds, fold), seeds, preprocessing, perBatchAugmentation);
        Dataset validation = prepared.validation().orElseThrow(() -> new InvalidInputException(
                "a search selects on the validation rows; expected dataset.validationSplit > 0"));
        return new SelectionData(prepared.train(), validation, prepared.fitted(), prepared.augmenter());
    }

    private RunContext seeds(long seed, int fold) {
        if (spec.crossValidated() != (fold >= 0) || fold >= (spec.crossValidated() ? spec.folds() : 1)) {
            throw new IllegalArgumentException("fold " + fold + " of a dataset with "
                    + (spec.crossValidated() ? spec.folds() + " folds" : "no folds"));
        }
        return new RunContext(seed, 1, List.of(), Path.of("."));
    }

    /** The pool rows of fold {@code fold} ({@code inFold}) or of every other fold. */
    private int[] foldRows(RunContext seeds, int fold, boolean inFold) {
        int[] foldOf = Stratified.folds(pool.labels(), pool.numClasses(), spec.folds(), seeds.derivedSeed("folds"));
        int count = 0;
        for (int f : foldOf) {
            count += (f == fold) == inFold ? 1 : 0;
        }
        int[] rows = new int[count];
        for (int i = 0, a = 0; i < foldOf.length; i++) {
            if ((foldOf[i] == fold) == inFold) {
                rows[a++] = i;
            }
        }
        return rows;
    }

    /** Training and validation rows of a trial, as pool indices. */
    private record Split(int[] train, int[] validation) {
    }

    /**
     * The trial's training rows (drawn from the pool, or the other folds) less a stratified validation
     * split; never a test row.
     */
    private Split split(RunContext seeds, int fold) {
        int[] rows;
        if (fold >= 0) {
            rows = foldRows(seeds, fold, false);
        } else {
            int n = spec.trainSize() == null ? pool.size() : spec.trainSize();
            rows = n == pool.size() ? identity(n)
                    : Sampling.stratified(pool.labels(), pool.numClasses(), n, seeds.derivedSeed("data-subset"));
        }
        int validationRows = (int) Math.round(rows.length * spec.validationSplit());
        if (validationRows == 0) {
            return new Split(rows, new int[0]);
        }
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = pool.labels()[rows[i]];
        }
        int[] picked = Sampling.stratified(labels, pool.numClasses(), validationRows,
                seeds.derivedSeed("validation-split"));
        boolean[] isValidation = new boolean[rows.length];
        for (int p : picked) {
            isValidation[p] = true;
        }
        int[] validationIndices = new int[validationRows];
        int[] trainIndices = new int[rows.length - validationRows];
        for (int i = 0, v = 0, t = 0; i < rows.length; i++) {
            if (isValidation[i]) {
                validationIndices[v++] = rows[i];
            } else {
                trainIndices[t++] = rows[i];
            }
        }
        return new Split(trainIndices, validationIndices);
    }

    /** Prepared training and validation rows, with the preprocessing fitted on the training rows. */
    private record Prepared(Dataset train, Optional<Dataset> validation, FittedPreprocessing fitted,
                            Optional<Augmenter> augmenter) {
    }

    private Prepared prepare(Split split, RunContext seeds, Preprocessing preprocessing, boolean perBatchAugmentation) {
        Dataset train = pool.select(split.train());
        Augmentation augmentation = preprocessing.augmentation();
        if (augmentation.enabled() && !perBatchAugmentation) {
            ImageAugmenter raw = new ImageAugmenter(augmentation, new float[channels(train)]);
            train = ImageAugmenter.withCopies(train, raw, augmentation.copies(), seeds.derivedSeed("augment"));
        }
        FittedPreprocessing fitted = FittedPreprocessing.fit(preprocessing, train);
        Optional<Augmenter> augmenter = Optional.empty();
        if (augmentation.enabled()) {
            float[] fill = new float[channels(train)];
            for (int c = 0; c < fill.length; c++) {
                fill[c] = (float) (-fitted.mean().get(c) / fitted.std().get(c));
            }
            augmenter = Optional.of(new ImageAugmenter(augmentation, fill));
        }
        Dataset preparedTrain = fitted.applyOwned(train);
        Optional<Dataset> validation = split.validation().length == 0 ? Optional.empty()
                : Optional.of(fitted.applyOwned(pool.select(split.validation())));
        return new Prepared(rename(preparedTrain, "train"), validation.map(v -> rename(v, "validation")), fitted,
                augmenter);
    }

    private static int channels(Dataset data) {
        if (data.sampleShape().rank() != 3) {
            throw new InvalidInputException("augmentation needs image samples CxHxW, got " + data.sampleShape());
        }
        return data.sampleShape().dim(0);
    }

    private Dataset rename(Dataset d, String split) {
        return new Dataset(spec.title() + "/" + split, d.features(), d.labels(), d.classNames(), d.metadata());
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }

    /**
     * One trial's data, preprocessed.
     *
     * @param train         the training rows
     * @param validation    the validation rows, if the manifest asks for a split
     * @param test          the fixed test rows
     * @param preprocessing the fitted preprocessing (to apply to new inputs at prediction time)
     * @param augmenter     the augmentation on preprocessed inputs, when enabled: for the trainer when
     *                      asked for per batch (else the copies are already in {@code train}), and for
     *                      previews
     */
    public record TrialData(Dataset train, Optional<Dataset> validation, Dataset test,
                            FittedPreprocessing preprocessing, Optional<Augmenter> augmenter) {
    }

    /**
     * A search candidate's data: training and validation rows, prepared as {@link TrialData}'s are, and no
     * test rows.
     *
     * @param train         the training rows
     * @param validation    the validation rows the candidate is scored on
     * @param preprocessing the fitted preprocessing
     * @param augmenter     as {@link TrialData#augmenter()}
     */
    public record SelectionData(Dataset train, Dataset validation, FittedPreprocessing preprocessing,
                                Optional<Augmenter> augmenter) {
    }

    /** Seeded stratified sampling (see {@link Stratified}). */
    static final class Sampling {
        private Sampling() {
        }

        /** {@link Stratified#sample}. */
        static int[] stratified(int[] labels, int numClasses, int n, long seed) {
            return Stratified.sample(labels, numClasses, n, seed);
        }
    }
}
