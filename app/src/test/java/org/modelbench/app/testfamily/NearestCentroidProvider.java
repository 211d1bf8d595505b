package org.modelbench.app.testfamily;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.ConfigException;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Model;
import org.modelbench.api.SavedModelHeader;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.Trainer;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;

/**
 * A second real family for the app's tests: nearest class centroid, probabilities from a softmax of
 * negative squared distances divided by {@code temperature}. Its structure depends on the data, so it
 * has no initial model. Saved as text.
 */
public final class NearestCentroidProvider implements ModelFamilyProvider<NearestCentroidProvider.Config> {
    public static final String ID = "test-centroid";

    /** @param temperature the softmax temperature over squared distances, {@code > 0}, default 10 */
    public record Config(Double temperature) {
        public Config {
            temperature = temperature == null ? 10.0 : temperature;
            if (!(temperature > 0)) {
                throw new ConfigException("temperature", "expected a number > 0, got " + temperature);
            }
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Trainer trainer(Config config, ProviderContext providers) {
        return (train, validation, context) -> {
            long start = System.nanoTime();
            int d = train.sampleShape().size();
            int k = train.numClasses();
            context.emit(new TrainingEvent.Started(1, 1, train.size()));
            double[] sums = new double[k * d];
            int[] counts = train.labelCounts();
            float[] x = train.features().data();
            for (int i = 0; i < train.size(); i++) {
                int label = train.labels()[i];
                for (int f = 0; f < d; f++) {
                    sums[label * d + f] += x[i * d + f];
                }
            }
            float[] centroids = new float[k * d];
            for (int c = 0; c < k; c++) {
                for (int f = 0; f < d; f++) {
                    centroids[c * d + f] = counts[c] == 0 ? 0f : (float) (sums[c * d + f] / counts[c]);
                }
            }
            context.emit(new TrainingEvent.BatchFinished(1, 1, 1, train.size(), Double.NaN));
            Centroids model = new Centroids(train.sampleShape(), train.classNames(), centroids, config.temperature());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            context.emit(new TrainingEvent.EpochFinished(1, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, elapsed));
            context.emit(new TrainingEvent.Finished(1, "completed", elapsed));
            return model;
        };
    }

    @Override
    public Model load(Path directory, ProviderContext context) {
        SavedModelHeader.read(directory).require(directory, ID, 1);
        Path file = directory.resolve("centroids.txt");
        try {
            List<String> lines = java.nio.file.Files.readAllLines(file, StandardCharsets.UTF_8);
            Shape sample = Shape.of(java.util.Arrays.stream(lines.get(0).split("x")).mapToInt(Integer::parseInt)
                    .toArray());
            List<String> names = List.of(lines.get(1).split(","));
            double temperature = Double.parseDouble(lines.get(2));
            float[] centroids = new float[names.size() * sample.size()];
            String[] values = lines.get(3).split(" ");
            for (int i = 0; i < centroids.length; i++) {
                centroids[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(values[i], 16));
            }
            return new Centroids(sample, names, centroids, temperature);
        } catch (java.io.IOException | RuntimeException e) {
            throw new DataFormatException(file, -1, "expected shape, class names, temperature and centroids: " + e);
        }
    }

    private record Centroids(Shape sample, List<String> names, float[] centroids, double temperature) implements Model {
        @Override
        public String familyId() {
            return ID;
        }

        @Override
        public Shape sampleShape() {
            return sample;
        }

        @Override
        public List<String> classNames() {
            return names;
        }

        @Override
        public Tensor predictProbabilities(Tensor batch) {
            int n = batch.batchSize();
            int d = sample.size();
            int k = names.size();
            float[] out = new float[n * k];
            float[] x = batch.data();
            for (int i = 0; i < n; i++) {
                double[] z = new double[k];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dist = 0;
                    for (int f = 0; f < d; f++) {
                        double diff = x[i * d + f] - centroids[c * d + f];
                        dist += diff * diff;
                    }
                    z[c] = -dist / temperature;
                    max = Math.max(max, z[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    z[c] = Math.exp(z[c] - max);
                    sum += z[c];
                }
                for (int c = 0; c < k; c++) {
                    out[i * k + c] = (float) (z[c] / sum);
                }
            }
            return Tensor.of(Shape.of(n, k), out);
        }

        @Override
        public long parameterCount() {
            return centroids.length;
        }

        @Override
        public ModelProvenance provenance() {
            return new ModelProvenance(ID, "test", new Config(temperature), 0, 1, Map.of());
        }

        @Override
        public void save(Path directory) {
            StringBuilder sb = new StringBuilder(sample.toString()).append('\n').append(String.join(",", names))
                    .append('\n').append(temperature).append('\n');
            for (int i = 0; i < centroids.length; i++) {
                sb.append(i == 0 ? "" : " ").append(Integer.toHexString(Float.floatToRawIntBits(centroids[i])));
            }
            AtomicFiles.writeString(directory.resolve("centroids.txt"), sb.append('\n').toString());
            new SavedModelHeader(ID, 1).write(directory);
        }
    }
}
