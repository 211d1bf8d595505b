package org.modelbench.examples.hello;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Trainer;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.provenance.ModelProvenance;

/** Averages each class's rows (in double precision, in row order: deterministic). */
final class NearestCentroidTrainer implements Trainer {
    private final NearestCentroidConfig config;
    private final String version;

    NearestCentroidTrainer(NearestCentroidConfig config, String version) {
        this.config = config;
        this.version = version;
    }

    @Override
    public Model train(Dataset train, Optional<Dataset> validation, RunContext context) {
        long start = System.nanoTime();
        int n = train.size();
        int k = train.numClasses();
        int d = train.sampleShape().size();
        context.emit(new TrainingEvent.Started(1, 1, n));
        double[] sums = new double[k * d];
        int[] counts = train.labelCounts();
        float[] x = train.features().data();
        int[] labels = train.labels();
        for (int i = 0; i < n; i++) {
            int base = labels[i] * d;
            for (int j = 0; j < d; j++) {
                sums[base + j] += x[i * d + j];
            }
        }
        float[] centroids = new float[k * d];
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                throw new InvalidInputException(NearestCentroidProvider.ID + ": class '" + train.classNames().get(c)
                        + "' has no training rows; every class needs at least one");
            }
            for (int j = 0; j < d; j++) {
                centroids[c * d + j] = (float) (sums[c * d + j] / counts[c]);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        context.emit(new TrainingEvent.BatchFinished(1, 1, 1, n, Double.NaN));
        NearestCentroidModel model = new NearestCentroidModel(train.sampleShape(), train.classNames(), centroids,
                config.sharpness(), new ModelProvenance(NearestCentroidProvider.ID, version, config,
                        context.seed(), 1, Map.of("rows", Integer.toString(n))));
        double accuracy = org.modelbench.api.Evaluation.of(model, train, 1024).accuracy();
        context.emit(new TrainingEvent.EpochFinished(1, 1, Double.NaN, accuracy, Double.NaN, Double.NaN, elapsed));
        context.emit(new TrainingEvent.Finished(1, "completed", elapsed));
        return model;
    }
}
