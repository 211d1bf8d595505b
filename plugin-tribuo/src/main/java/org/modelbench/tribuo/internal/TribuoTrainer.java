package org.modelbench.tribuo.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.modelbench.api.Dataset;
import org.modelbench.api.Evaluation;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Trainer;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.provenance.ModelProvenance;
import org.tribuo.MutableDataset;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;

/**
 * Trains one Tribuo family with one configuration; reusable and stateless between calls.
 *
 * <p>One call: {@code Started(1 epoch, units, rows)}; the rows go through {@link ImageExamples};
 * a fresh Tribuo trainer from the {@link TribuoRecipe} trains with Tribuo's INFO logging quieted,
 * sending {@code BatchFinished} per unit of work (per tree for ensembles); then one
 * {@code EpochFinished} (with validation loss and accuracy when validation rows are given) and
 * {@code Finished}. The root seed is the config's {@code seed} when set, else the run's seed; every
 * Tribuo seed derives from it. Forests train their trees on {@link RunContext#threads()} threads
 * (at most one per tree) with results independent of the thread count, so {@code BatchFinished}
 * events come in the order trees finish; a single tree or a linear model uses one thread.
 * Provenance records the threads used.
 */
public final class TribuoTrainer implements Trainer {
    /** Rows per prediction chunk when measuring validation metrics. */
    private static final int EVALUATION_BATCH = 2048;

    private final String familyId;
    private final String familyVersion;
    private final Record config;
    private final Long configSeed;
    private final TribuoRecipe recipe;

    /**
     * @param config     the validated configuration, recorded in provenance
     * @param configSeed the configuration's seed override, or {@code null} to use the run's seed
     */
    public TribuoTrainer(String familyId, String familyVersion, Record config, Long configSeed, TribuoRecipe recipe) {
        this.familyId = familyId;
        this.familyVersion = familyVersion;
        this.config = config;
        this.configSeed = configSeed;
        this.recipe = recipe;
    }

    @Override
    public Model train(Dataset train, Optional<Dataset> validation, RunContext context) {
        if (train.size() == 0) {
            throw new InvalidInputException(train.name() + ": no training rows");
        }
        long start = System.nanoTime();
        int units = recipe.units();
        context.emit(new TrainingEvent.Started(1, units, train.size()));

        ImageExamples adapter = new ImageExamples(train.sampleShape());
        MutableDataset<Label> data = adapter.toTribuo(train);
        long converted = System.nanoTime();

        long rootSeed = configSeed != null ? configSeed : context.seed();
        RunContext seeds = new RunContext(rootSeed, context.threads(), List.of(), context.workDirectory());
        int[] done = {0};
        Object progress = new Object();
        // Forest members finish on worker threads: one at a time, in the order they finish.
        Runnable unitFinished = () -> {
            synchronized (progress) {
                if (done[0] < units) {
                    done[0]++;
                    context.emit(new TrainingEvent.BatchFinished(1, done[0], units, train.size(), Double.NaN));
                }
            }
        };
        org.tribuo.Model<Label> trained;
        try (QuietTribuoLogs quiet = QuietTribuoLogs.quiet()) {
            trained = recipe.trainer(seeds, adapter.featureCount(), unitFinished).train(data);
        }
        synchronized (progress) {
            while (done[0] < units) {
                unitFinished.run();
            }
        }
        long fitted = System.nanoTime();

        Map<String, String> details = new LinkedHashMap<>();
        details.put("tribuo.version", Tribuo.VERSION);
        details.put("tribuo.model-class", trained.getClass().getName());
        details.put("root-seed", Long.toString(rootSeed));
        details.put("adapter.rows", Integer.toString(train.size()));
        details.put("adapter.features", Integer.toString(adapter.featureCount()));
        details.put("adapter.millis", Long.toString((converted - start) / 1_000_000));
        details.put("fit.millis", Long.toString((fitted - converted) / 1_000_000));
        details.put("tribuo.provenance", ProvenanceJson.of(trained.getProvenance()));
        ModelProvenance provenance = new ModelProvenance(familyId, familyVersion, config, context.seed(),
                units > 1 ? Math.min(units, context.threads()) : 1, details);
        TribuoClassifier model = new TribuoClassifier(familyId, train.classNames(), adapter, trained, provenance);

        double validationLoss = Double.NaN;
        double validationAccuracy = Double.NaN;
        if (validation.isPresent()) {
            Evaluation evaluation = Evaluation.of(model, validation.get(), EVALUATION_BATCH);
            validationLoss = evaluation.logLoss();
            validationAccuracy = evaluation.accuracy();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        context.emit(new TrainingEvent.EpochFinished(1, 1, Double.NaN, Double.NaN, validationLoss, validationAccuracy,
                elapsed));
        context.emit(new TrainingEvent.Finished(1, "completed", elapsed));
        return model;
    }
}
