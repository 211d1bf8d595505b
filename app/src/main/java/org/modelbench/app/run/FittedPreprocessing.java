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
 * feature column). Saved next to each trained model ({@value #FILE_NAME}) so that
 * {@code modelbench predict} feeds new inputs exactly as the model was trained.
 *
 * @param rescale the divisor, {@code > 0}
 * @param mean    per-channel means after rescaling (zeros without standardisation)
 * @param std     per-channel standard deviations after rescaling (ones without standardisation)
 */
public record FittedPreprocessing(double rescale, List<Double> mean, List<Double> std) {

    /** The file name next to a trial's {@code model/} folder. */
    public static final String FILE_NAME = "preprocessing.json";

    public FittedPreprocessing {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
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

    /** Reads the preprocessing saved next to {@code modelDirectory}, if there is one. */
    public static java.util.Optional<FittedPreprocessing> besideModel(Path modelDirectory) {
        Path parent = modelDirectory.toAbsolutePath().normalize().getParent();
        Path file = parent == null ? null : parent.resolve(FILE_NAME);
        return file != null && Files.isRegularFile(file) ? java.util.Optional.of(Json.read(file,
                FittedPreprocessing.class)) : java.util.Optional.empty();
    }
}
