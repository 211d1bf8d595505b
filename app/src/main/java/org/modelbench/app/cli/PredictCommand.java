package org.modelbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.Printable;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.app.run.FittedPreprocessing;
import org.modelbench.app.run.SavedModels;
import org.modelbench.data.IdxArray;
import org.modelbench.data.IdxReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code modelbench predict --model DIR --input FILE...}: reload a saved model and classify inputs. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Load a saved model and print the predicted class and class probabilities of each input: "
                + "rows of an IDX images file, or PNG images (greyscale, resized to the model's input).",
                "The preprocessing the model was trained with (the model folder's modelbench-card.json; for older bundles preprocessing.json beside the folder) "
                        + "is applied first. With --labels, prints the accuracy."})
final class PredictCommand implements Callable<Integer> {
    private static final int BATCH = 1000;

    @ParentCommand
    ModelbenchCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A saved model folder, e.g. runs/<name>/<ts>/trials/<model>/seed-1/model.")
    Path modelDirectory;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "An IDX images file or a PNG image; repeatable (PNGs only).")
    List<Path> inputs;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels of an IDX input: print the accuracy.")
    Path labels;

    @Option(names = "--invert", description = "Invert PNG grey values (for dark digits on a light background).")
    boolean invert;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Print at most N rows (default: ${DEFAULT-VALUE}); the accuracy covers all rows.")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SavedModels.Loaded loaded = SavedModels.load(root.registry(), modelDirectory);
        Model model = loaded.model();
        Shape sample = model.sampleShape();
        Tensor batch = InputImages.read(inputs, sample, invert, modelDirectory);
        FittedPreprocessing preprocessing = loaded.preprocessing();
        preprocessing.apply(batch);
        int n = batch.batchSize();
        int k = model.classNames().size();
        float[] probabilities = new float[n * k];
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            Tensor p = model.predictProbabilities(batch.slice(from, to));
            System.arraycopy(p.data(), 0, probabilities, from * k, (to - from) * k);
        }
        int[] truth = labels == null ? null : readLabels(n, k);
        out.printf("model %s (%s), %d input(s) of %s, preprocessing: rescale %s, mean %s, std %s%n",
                modelDirectory, model.familyId(), n, sample, preprocessing.rescale(), preprocessing.mean(),
                preprocessing.std());
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (probabilities[i * k + j] > probabilities[i * k + best]) {
                    best = j;
                }
            }
            if (truth != null && truth[i] == best) {
                correct++;
            }
            if (i < limit) {
                StringBuilder sb = new StringBuilder();
                sb.append(String.format("%s: predicted %s (p=%.4f)", name(i), Printable.of(model.classNames().get(best)),
                        probabilities[i * k + best]));
                if (truth != null) {
                    sb.append(" label ").append(Printable.of(model.classNames().get(truth[i])));
                }
                sb.append("  probabilities");
                for (int j = 0; j < k; j++) {
                    sb.append(String.format(" %s:%.4f", Printable.of(model.classNames().get(j)), probabilities[i * k + j]));
                }
                out.println(sb);
            }
        }
        if (n > limit) {
            out.printf("... %d more row(s) not shown (--limit)%n", n - limit);
        }
        if (truth != null) {
            out.printf("accuracy: %.4f (%d of %d)%n", (double) correct / n, correct, n);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private String name(int i) {
        return inputs.size() == 1 && !InputImages.isPng(inputs.get(0)) ? "row " + i : inputs.get(i).toString();
    }

    private int[] readLabels(int n, int classes) {
        IdxArray idx = IdxReader.read(labels, 1);
        if (idx.count() != n) {
            throw new InvalidInputException(labels + " holds " + idx.count() + " labels for " + n + " inputs; expected "
                    + "the same count");
        }
        int[] truth = idx.toLabels();
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= classes) {
                throw new DataFormatException(labels, 8 + i, "label " + i + " is " + truth[i] + "; the model has "
                        + classes + " classes (0 to " + (classes - 1) + ")");
            }
        }
        return truth;
    }
}
