package org.modelbench.app.testfamily;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.ConfigException;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Dataset;
import org.modelbench.api.Evaluation;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.SavedModelHeader;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.Trainer;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;

/**
 * A real model family for the app's tests: multinomial logistic regression trained with mini-batch
 * SGD, seeded initialisation and shuffling, saved as a small binary file.
 */
public final class SoftmaxRegressionProvider implements ModelFamilyProvider<SoftmaxRegressionProvider.Config> {
    public static final String ID = "test-softmax";

    /**
     * @param epochs       passes over the data, {@code >= 1}, default 3
     * @param batchSize    rows per step, {@code >= 1}, default 64
     * @param learningRate the SGD step, {@code > 0}, default 0.1
     * @param l2           L2 penalty, {@code >= 0}, default 0
     */
    public record Config(Integer epochs, Integer batchSize, Double learningRate, Double l2) {
        public Config {
            epochs = epochs == null ? 3 : epochs;
            if (epochs < 1) {
                throw new ConfigException("epochs", "expected an integer >= 1, got " + epochs);
            }
            batchSize = batchSize == null ? 64 : batchSize;
            if (batchSize < 1) {
                throw new ConfigException("batchSize", "expected an integer >= 1, got " + batchSize);
            }
            learningRate = learningRate == null ? 0.1 : learningRate;
            if (!(learningRate > 0)) {
                throw new ConfigException("learningRate", "expected a number > 0, got " + learningRate);
            }
            l2 = l2 == null ? 0.0 : l2;
            if (l2 < 0) {
                throw new ConfigException("l2", "expected a number >= 0, got " + l2);
            }
        }
    }

    @Override
    public String id() {
        return ID;
    }

    /** A numbered version (class-path providers say {@code dev}), so that major-version checks apply. */
    @Override
    public String version() {
        return "1.2.0";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Trainer trainer(Config config, ProviderContext providers) {
        return (train, validation, context) -> train(config, train, validation, context);
    }

    @Override
    public Optional<Model> initialModel(Config config, Shape sampleShape, int numClasses, long seed,
                                        ProviderContext context) {
        List<String> names = java.util.stream.IntStream.range(0, numClasses).mapToObj(String::valueOf).toList();
        return Optional.of(new Softmax(sampleShape, names, new float[numClasses * sampleShape.size()],
                new float[numClasses], config, seed));
    }

    private Model train(Config config, Dataset train, Optional<Dataset> validation, RunContext context) {
        Shape sample = train.sampleShape();
        int d = sample.size();
        int k = train.numClasses();
        int n = train.size();
        Random init = new Random(context.derivedSeed("init"));
        float[] w = new float[k * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (init.nextGaussian() * 0.01);
        }
        float[] b = new float[k];
        Softmax model = new Softmax(sample, train.classNames(), w, b, config, context.seed());
        int batches = (n + config.batchSize() - 1) / config.batchSize();
        context.emit(new TrainingEvent.Started(config.epochs(), batches, n));
        long start = System.nanoTime();
        float[] x = train.features().data();
        int[] order = new int[n];
        float[] gradW = new float[k * d];
        float[] gradB = new float[k];
        float[] p = new float[k];
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            Arrays.setAll(order, i -> i);
            Random shuffle = new Random(context.derivedSeed("shuffle") + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double epochLoss = 0;
            int epochCorrect = 0;
            for (int batch = 0; batch < batches; batch++) {
                int from = batch * config.batchSize();
                int to = Math.min(n, from + config.batchSize());
                Arrays.fill(gradW, 0);
                Arrays.fill(gradB, 0);
                double loss = 0;
                for (int r = from; r < to; r++) {
                    int row = order[r];
                    model.probabilities(x, row * d, p);
                    int label = train.labels()[row];
                    loss -= Math.log(Math.max(1e-15, p[label]));
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        best = p[c] > p[best] ? c : best;
                    }
                    epochCorrect += best == label ? 1 : 0;
                    for (int c = 0; c < k; c++) {
                        float g = p[c] - (c == label ? 1 : 0);
                        gradB[c] += g;
                        int off = c * d;
                        for (int f = 0; f < d; f++) {
                            gradW[off + f] += g * x[row * d + f];
                        }
                    }
                }
                float scale = (float) (config.learningRate() / (to - from));
                float decay = (float) (config.learningRate() * config.l2());
                for (int i = 0; i < w.length; i++) {
                    w[i] -= scale * gradW[i] + decay * w[i];
                }
                for (int c = 0; c < k; c++) {
                    b[c] -= scale * gradB[c];
                }
                epochLoss += loss;
                double batchLoss = loss / (to - from);
                if (!Double.isFinite(batchLoss)) {
                    throw new org.modelbench.api.TrainingDivergedException("loss became " + batchLoss);
                }
                context.emit(new TrainingEvent.BatchFinished(epoch, batch + 1, batches, to - from, batchLoss));
            }
            double validationLoss = Double.NaN;
            double validationAccuracy = Double.NaN;
            if (validation.isPresent()) {
                Evaluation e = Evaluation.of(model, validation.get(), 500);
                validationLoss = e.logLoss();
                validationAccuracy = e.accuracy();
            }
            context.emit(new TrainingEvent.EpochFinished(epoch, config.epochs(), epochLoss / n,
                    (double) epochCorrect / n, validationLoss, validationAccuracy,
                    Duration.ofNanos(System.nanoTime() - epochStart)));
        }
        context.emit(new TrainingEvent.Finished(config.epochs(), "completed", Duration.ofNanos(System.nanoTime() - start)));
        return model;
    }

    @Override
    public Model load(Path directory, ProviderContext context) {
        SavedModelHeader.read(directory).require(directory, ID, 1);
        Path file = directory.resolve("weights.bin");
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int rank = in.readInt();
            if (rank < 1 || rank > 4) {
                throw new DataFormatException(file, 0, "expected a sample rank 1..4, got " + rank);
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                size *= dims[i];
                if (dims[i] < 1 || size > Files.size(file)) {
                    throw new DataFormatException(file, 4 + 4L * i, "dimension " + dims[i] + " does not fit the file");
                }
            }
            int k = in.readInt();
            if (k < 2 || k > 1000) {
                throw new DataFormatException(file, 4 + 4L * rank, "expected 2..1000 classes, got " + k);
            }
            Shape sample = Shape.of(dims);
            String[] names = new String[k];
            for (int c = 0; c < k; c++) {
                names[c] = in.readUTF();
            }
            float[] w = new float[k * sample.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = in.readFloat();
            }
            float[] b = new float[k];
            for (int c = 0; c < k; c++) {
                b[c] = in.readFloat();
            }
            long seed = in.readLong();
            if (in.read() != -1) {
                throw new DataFormatException(file, -1, "unexpected bytes after the weights");
            }
            for (float v : w) {
                if (!Float.isFinite(v)) {
                    throw new DataFormatException(file, -1, "a weight is not finite");
                }
            }
            return new Softmax(sample, List.of(names), w, b, new Config(null, null, null, null), seed);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new DataFormatException(file, -1, "truncated", e);
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The model: probabilities = softmax(W x + b). */
    private static final class Softmax implements Model {
        private final Shape sample;
        private final List<String> classNames;
        private final float[] w;
        private final float[] b;
        private final Config config;
        private final long seed;

        Softmax(Shape sample, List<String> classNames, float[] w, float[] b, Config config, long seed) {
            this.sample = sample;
            this.classNames = List.copyOf(classNames);
            this.w = w;
            this.b = b;
            this.config = config;
            this.seed = seed;
        }

        void probabilities(float[] x, int offset, float[] out) {
            int d = sample.size();
            int k = b.length;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                float z = b[c];
                for (int f = 0; f < d; f++) {
                    z += w[c * d + f] * x[offset + f];
                }
                out[c] = z;
                max = Math.max(max, z);
            }
            float sum = 0;
            for (int c = 0; c < k; c++) {
                out[c] = (float) Math.exp(out[c] - max);
                sum += out[c];
            }
            for (int c = 0; c < k; c++) {
                out[c] /= sum;
            }
        }

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
            return classNames;
        }

        @Override
        public Tensor predictProbabilities(Tensor batch) {
            if (!batch.shape().withoutBatch().equals(sample)) {
                throw new InvalidInputException("expected samples of " + sample + ", got " + batch.shape());
            }
            int n = batch.batchSize();
            int k = b.length;
            float[] out = new float[n * k];
            float[] p = new float[k];
            for (int i = 0; i < n; i++) {
                probabilities(batch.data(), i * sample.size(), p);
                System.arraycopy(p, 0, out, i * k, k);
            }
            return Tensor.of(Shape.of(n, k), out);
        }

        @Override
        public long parameterCount() {
            return w.length + b.length;
        }

        @Override
        public ModelProvenance provenance() {
            return new ModelProvenance(ID, "test", config, seed, 1, Map.of());
        }

        @Override
        public void save(Path directory) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeInt(sample.rank());
                for (int dim : sample.dims()) {
                    out.writeInt(dim);
                }
                out.writeInt(b.length);
                for (String name : classNames) {
                    out.writeUTF(name);
                }
                for (float v : w) {
                    out.writeFloat(v);
                }
                for (float v : b) {
                    out.writeFloat(v);
                }
                out.writeLong(seed);
                out.flush();
                AtomicFiles.write(directory.resolve("weights.bin"), bytes.toByteArray());
                new SavedModelHeader(ID, 1).write(directory);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
