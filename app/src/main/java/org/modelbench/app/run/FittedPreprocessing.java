package org.modelbench.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.modelbench.api.Dataset;
import org.modelbench.api.Tensor;
import org.modelbench.app.manifest.Preprocessing;

/**
 * Preprocessing with its statistics measured: {@code x' = (x / rescale - mean[c]) / std[c]} for a
 * value of channel {@code c} (the first sample dimension: an image's or a series' channel, a table's
 * feature column). Saved inside each trained model's folder (in its {@link ModelCard}) so
 * that {@code modelbench predict} feeds new inputs exactly as the model was trained; bundles also keep
 * {@value #FILE_NAME} beside the folder, which is all that bundles from before model cards have.
 *
 * @param rescale the divisor, {@code > 0}
 * @param mean    per-channel means after rescaling (zeros without standardisation)
 * @param std     per-channel standard deviations after rescaling (ones without standardisation)
 */
public record FittedPreprocessing(double rescale, List<Double> mean, List<Double> std) {

    /** The file name next to a trial's {@code model/} folder. */
    public static final String FILE_NAME = "preprocessing.json";

    public FittedPreprocessing {
        if (!(rescale > 0) || Double.isInfinite(rescale)) {
            throw new IllegalArgumentException("rescale: expected a finite number > 0, got " + rescale);
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.isEmpty() || mean.size() != std.size()) {
            throw new IllegalArgumentException("mean and std: expected one value per channel each, got "
                    + mean.size() + " and " + std.size());
        }
        for (int c = 0; c < std.size(); c++) {
            if (!Double.isFinite(mean.get(c)) || !(std.get(c) > 0) || Double.isInfinite(std.get(c))) {
                throw new IllegalArgumentException("channel " + c + ": expected a finite mean and a finite std > 0, got "
                        + mean.get(c) + " and " + std.get(c));
            }
        }
    }

    /** Identity for {@code channels} channels. */
    public static FittedPreprocessing identity(int channels) {
        return new FittedPreprocessing(1.0, java.util.Collections.nCopies(channels, 0.0),
                java.util.Collections.nCopies(channels, 1.0));
    }

    /** Measures the statistics of {@code preprocessing} on the training rows {@code train}. */
    public static FittedPreprocessing fit(Preprocessing preprocessing, Dataset train) {
        // images and series: one statistic per channel; tables ([F] samples): one per feature column
        int channels = train.sampleShape().rank() == 0 ? 1 : train.sampleShape().dim(0);
        double rescale = preprocessing.rescale();
        if (!preprocessing.standardize()) {
            return new FittedPreprocessing(rescale, java.util.Collections.nCopies(channels, 0.0),
                    java.util.Collections.nCopies(channels, 1.0));
        }
        float[] x = train.features().data();
        int perChannel = train.sampleShape().size() / channels;
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        for (int i = 0; i < x.length; i++) {
            int c = (i / perChannel) % channels;
            double v = x[i] / rescale;
            sum[c] += v;
            squares[c] += v * v;
        }
        long count = (long) x.length / channels;
        Double[] mean = new Double[channels];
        Double[] std = new Double[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / count;
            double s = Math.sqrt(Math.max(0, squares[c] / count - m * m));
            mean[c] = m;
            std[c] = s > 1e-12 ? s : 1.0;
        }
        return new FittedPreprocessing(rescale, List.of(mean), List.of(std));
    }

    /** Applies this preprocessing to {@code data}'s feature array in place and returns it. */
    Dataset applyOwned(Dataset data) {
        apply(data.features());
        return data;
    }

    /** Applies this preprocessing to {@code batch} ({@code [N, C, ...]}) in place. */
    public void apply(Tensor batch) {
        float[] x = batch.data();
        int channels = mean.size();
        int perChannel = batch.shape().size() / batch.shape().dim(0) / channels;
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (1.0 / (rescale * std.get(c)));
            shift[c] = (float) (mean.get(c) / std.get(c));
        }
        boolean identity = rescale == 1.0 && mean.stream().allMatch(m -> m == 0.0)
                && std.stream().allMatch(s -> s == 1.0);
        if (identity) {
            return;
        }
        for (int i = 0; i < x.length; i++) {
            int c = (i / perChannel) % channels;
            x[i] = x[i] * scale[c] - shift[c];
        }
    }

    /** Reads the preprocessing saved next to {@code modelDirectory} (the old bundle layout), if there is one. */
    public static java.util.Optional<FittedPreprocessing> besideModel(Path modelDirectory) {
        Path parent = modelDirectory.toAbsolutePath().normalize().getParent();
        Path file = parent == null ? null : parent.resolve(FILE_NAME);
        return file != null && Files.isRegularFile(file) ? java.util.Optional.of(Json.read(file,
                FittedPreprocessing.class)) : java.util.Optional.empty();
    }
}
