package org.modelbench.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.Evaluation;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.data.DataCache;
import org.modelbench.data.MnistProvider;
import org.modelbench.engine.internal.Families;

/**
 * The full-MNIST recipes of the engine (not a unit test: run by hand, one at a time).
 * Usage: {@code java -cp ... org.modelbench.engine.MnistRecipes <recipe> [threads] [trainRows]} with
 * recipe one of logreg-raw, logreg-rescaled, mlp-l2, mlp-dropout, seed-cnn.
 */
public final class MnistRecipes {
    private MnistRecipes() {
    }

    /** A recipe: family, params, and whether pixels are divided by 255. */
    record Recipe(ModelFamilyProvider<?> family, Map<String, Object> params, boolean rescale) {
    }

    static Recipe recipe(String name) {
        return switch (name) {
            case "logreg-raw" -> new Recipe(new Families.LogReg(), Map.of("epochs", 10, "batchSize", 128,
                    "optimizer", Map.of("type", "sgd", "learningRate", 0.5)), false);
            case "logreg-rescaled" -> new Recipe(new Families.LogReg(), Map.of("epochs", 10, "batchSize", 128,
                    "optimizer", Map.of("type", "sgd", "learningRate", 0.5)), true);
            case "mlp-l2" -> new Recipe(new Families.Mlp(), Map.of("hidden", List.of(512, 512), "l2", 1e-4,
                    "epochs", 20, "batchSize", 128, "optimizer", Map.of("type", "rmsprop")), true);
            case "mlp-dropout" -> new Recipe(new Families.Mlp(), Map.of("hidden", List.of(512, 512), "dropout", 0.2,
                    "epochs", 20, "batchSize", 128, "optimizer", Map.of("type", "rmsprop")), true);
            case "seed-cnn" -> new Recipe(new Families.SeedCnn(), Map.of("epochs", 2, "batchSize", 128,
                    "optimizer", Map.of("type", "adadelta", "learningRate", 1.0)), true);
            case "seed-cnn-adam" -> new Recipe(new Families.SeedCnn(), Map.of("epochs", 2, "batchSize", 128,
                    "optimizer", Map.of("type", "adam")), true);
            default -> throw new IllegalArgumentException("unknown recipe " + name);
        };
    }

    static Dataset rescale(Dataset d) {
        float[] x = d.features().data().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] /= 255f;
        }
        return d.withFeatures(Tensor.of(d.features().shape(), x));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) {
        Recipe r = recipe(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        DatasetSplits splits = new MnistProvider().load(DataCache.defaultDirectory(), s -> { });
        Dataset train = splits.train();
        Dataset test = splits.test();
        if (args.length > 2) {
            train = train.slice(0, Integer.parseInt(args[2]));
        }
        if (r.rescale()) {
            train = rescale(train);
            test = rescale(test);
        }
        ModelFamilyProvider family = r.family();
        Record config = RecordBinder.bind(r.params(), family.configType(), "params");
        RunContext context = new RunContext(42, threads, List.of(), java.nio.file.Path.of("/tmp"))
                .withListener(e -> {
                    if (e instanceof TrainingEvent.EpochFinished f) {
                        System.out.printf("epoch %d: loss %.4f acc %.4f (%.1fs, %.0f samples/s)%n", f.epoch(),
                                f.trainLoss(), f.trainAccuracy(), f.elapsed().toMillis() / 1e3,
                                60000.0 / Math.max(1e-9, f.elapsed().toMillis() / 1e3));
                    } else if (e instanceof TrainingEvent.BatchFinished b && b.batch() % 100 == 0) {
                        System.out.printf("  epoch %d batch %d/%d loss %.4f%n", b.epoch(), b.batch(), b.batches(),
                                b.loss());
                    }
                });
        long start = System.nanoTime();
        Model model = family.trainer(config, ProviderContext.empty()).train(train, Optional.empty(), context);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Evaluation eval = Evaluation.of(model, test, 500);
        System.out.printf("%s: test accuracy %.4f, log-loss %.4f, train time %.1fs, threads %d, config %s%n", args[0],
                eval.accuracy(), eval.logLoss(), elapsed.toMillis() / 1e3, threads, RecordBinder.toTree(config));
    }
}
