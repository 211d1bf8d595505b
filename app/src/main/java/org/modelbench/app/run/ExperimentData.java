package org.modelbench.app.run;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.app.manifest.Augmentation;
import org.modelbench.app.manifest.DatasetSpec;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.IdxFiles;
import org.modelbench.app.manifest.Preprocessing;
import org.modelbench.data.DataCache;
import org.modelbench.data.IdxArray;
import org.modelbench.data.IdxReader;

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
            DatasetSplits splits = provider.load(cacheDirectory, log);
            train = splits.train();
            test = splits.test();
            for (DatasetProvider.CachedFile f : provider.files(cacheDirectory)) {
                String known = train.metadata().get("sha256:" + f.path().getFileName());
                hashes.put(f.path().getFileName().toString(), known != null ? known : DataCache.sha256(f.path()));
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
        Dataset fixedTest = spec.testSize() == null ? test
                : test.select(Sampling.stratified(test.labels(), test.numClasses(), spec.testSize(),
                        DatasetSpec.TEST_SUBSET_SEED));
        return new ExperimentData(train, fixedTest, hashes, spec);
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
        RunContext seeds = new RunContext(seed, 1, List.of(), Path.of("."));
        int n = spec.trainSize() == null ? pool.size() : spec.trainSize();
        int[] rows = n == pool.size() ? identity(n)
                : Sampling.stratified(pool.labels(), pool.numClasses(), n, seeds.derivedSeed("data-subset"));
        int validationRows = (int) Math.round(n * spec.validationSplit());
        int[] validationIndices = new int[0];
        int[] trainIndices = rows;
        if (validationRows > 0) {
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
            validationIndices = new int[validationRows];
            trainIndices = new int[rows.length - validationRows];
            for (int i = 0, v = 0, t = 0; i < rows.length; i++) {
                if (isValidation[i]) {
                    validationIndices[v++] = rows[i];
                } else {
                    trainIndices[t++] = rows[i];
                }
            }
        }
        Dataset train = pool.select(trainIndices);
        Augmentation augmentation = preprocessing.augmentation();
        if (augmentation.type() == Augmentation.Type.SHIFT) {
            train = Augmenter.shift(train, augmentation.maxShift(), augmentation.copies(), seeds.derivedSeed("augment"));
        }
        FittedPreprocessing fitted = FittedPreprocessing.fit(preprocessing, train);
        Dataset preparedTrain = fitted.applyOwned(train);
        Optional<Dataset> validation = validationRows == 0 ? Optional.empty()
                : Optional.of(fitted.applyOwned(pool.select(validationIndices)));
        Dataset preparedTest = fitted.applyOwned(test.withFeatures(test.features().copy()));
        return new TrialData(rename(preparedTrain, "train"), validation.map(v -> rename(v, "validation")),
                rename(preparedTest, "test"), fitted);
    }

    private Dataset rename(Dataset d, String split) {
        return new Dataset(spec.label() + "/" + split, d.features(), d.labels(), d.classNames(), d.metadata());
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
     */
    public record TrialData(Dataset train, Optional<Dataset> validation, Dataset test,
                            FittedPreprocessing preprocessing) {
    }

    /** Seeded stratified sampling. */
    static final class Sampling {
        private Sampling() {
        }

        /**
         * Picks {@code n} of the rows whose labels are {@code labels}, keeping class proportions (largest
         * remainders get the leftover rows, ties to the lower class), each class's rows shuffled with
         * {@code seed}. Returns the picked row indices in increasing order.
         */
        static int[] stratified(int[] labels, int numClasses, int n, long seed) {
            int total = labels.length;
            if (n > total) {
                throw new InvalidInputException("cannot draw " + n + " rows from " + total);
            }
            int[][] byClass = new int[numClasses][];
            int[] counts = new int[numClasses];
            for (int label : labels) {
                counts[label]++;
            }
            for (int c = 0; c < numClasses; c++) {
                byClass[c] = new int[counts[c]];
            }
            int[] fill = new int[numClasses];
            for (int i = 0; i < total; i++) {
                byClass[labels[i]][fill[labels[i]]++] = i;
            }
            int[] quota = new int[numClasses];
            double[] remainder = new double[numClasses];
            int assigned = 0;
            for (int c = 0; c < numClasses; c++) {
                double exact = (double) n * counts[c] / total;
                quota[c] = (int) Math.floor(exact);
                remainder[c] = exact - quota[c];
                assigned += quota[c];
            }
            while (assigned < n) {
                int best = -1;
                for (int c = 0; c < numClasses; c++) {
                    if (quota[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
                        best = c;
                    }
                }
                quota[best]++;
                remainder[best] = -1;
                assigned++;
            }
            Random random = new Random(seed);
            int[] out = new int[n];
            int k = 0;
            for (int c = 0; c < numClasses; c++) {
                int[] rows = byClass[c];
                for (int i = rows.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = rows[i];
                    rows[i] = rows[j];
                    rows[j] = t;
                }
                System.arraycopy(rows, 0, out, k, quota[c]);
                k += quota[c];
            }
            Arrays.sort(out);
            return out;
        }
    }

    /** The shift augmentation. */
    static final class Augmenter {
        private Augmenter() {
        }

        /** {@code data} followed by {@code copies} randomly translated copies of every row. */
        static Dataset shift(Dataset data, int maxShift, int copies, long seed) {
            Shape sample = data.sampleShape();
            if (sample.rank() != 3) {
                throw new InvalidInputException("augmentation 'shift' needs image samples CxHxW, got " + sample);
            }
            int c = sample.dim(0);
            int h = sample.dim(1);
            int w = sample.dim(2);
            int n = data.size();
            int stride = sample.size();
            float[] src = data.features().data();
            float[] out = new float[(copies + 1) * n * stride];
            int[] labels = new int[(copies + 1) * n];
            System.arraycopy(src, 0, out, 0, n * stride);
            System.arraycopy(data.labels(), 0, labels, 0, n);
            Random random = new Random(seed);
            for (int copy = 1; copy <= copies; copy++) {
                for (int i = 0; i < n; i++) {
                    int dy = random.nextInt(2 * maxShift + 1) - maxShift;
                    int dx = random.nextInt(2 * maxShift + 1) - maxShift;
                    int base = (copy * n + i) * stride;
                    for (int ch = 0; ch < c; ch++) {
                        for (int y = 0; y < h; y++) {
                            int sy = y - dy;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            for (int x = 0; x < w; x++) {
                                int sx = x - dx;
                                if (sx >= 0 && sx < w) {
                                    out[base + (ch * h + y) * w + x] = src[i * stride + (ch * h + sy) * w + sx];
                                }
                            }
                        }
                    }
                    labels[copy * n + i] = data.labels()[i];
                }
            }
            return new Dataset(data.name(), Tensor.of(sample.withBatch((copies + 1) * n), out), labels,
                    data.classNames(), data.metadata());
        }
    }
}
