package org.modelbench.app.cli;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.app.run.FittedPreprocessing;
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
                "The preprocessing the model was trained with (preprocessing.json beside its folder in a bundle) "
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
        Model model = root.registry(spec.commandLine().getErr()).loadModel(modelDirectory);
        Shape sample = model.sampleShape();
        Tensor batch = read(sample);
        FittedPreprocessing preprocessing = FittedPreprocessing.besideModel(modelDirectory)
                .orElse(FittedPreprocessing.identity(sample.rank() >= 2 ? sample.dim(0) : 1));
        preprocessing.apply(batch);
        int n = batch.batchSize();
        int k = model.classNames().size();
        float[] probabilities = new float[n * k];
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            Tensor p = model.predictProbabilities(batch.slice(from, to));
            System.arraycopy(p.data(), 0, probabilities, from * k, (to - from) * k);
        }
        int[] truth = labels == null ? null : readLabels(n);
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
                sb.append(String.format("%s: predicted %s (p=%.4f)", name(i), model.classNames().get(best),
                        probabilities[i * k + best]));
                if (truth != null) {
                    sb.append(" label ").append(model.classNames().get(truth[i]));
                }
                sb.append("  probabilities");
                for (int j = 0; j < k; j++) {
                    sb.append(String.format(" %s:%.4f", model.classNames().get(j), probabilities[i * k + j]));
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
        return inputs.size() == 1 && !isPng(inputs.get(0)) ? "row " + i : inputs.get(i).toString();
    }

    private Tensor read(Shape sample) {
        if (sample.rank() != 3) {
            throw new InvalidInputException(modelDirectory + ": predict reads images, but the model takes samples of "
                    + sample);
        }
        if (inputs.size() == 1 && !isPng(inputs.get(0))) {
            IdxArray idx = IdxReader.read(inputs.get(0), 3);
            Tensor images = idx.toImageTensor();
            if (!images.shape().withoutBatch().equals(sample)) {
                throw new InvalidInputException(inputs.get(0) + ": images are " + images.shape().withoutBatch()
                        + " but the model expects " + sample);
            }
            return images;
        }
        int c = sample.dim(0);
        int h = sample.dim(1);
        int w = sample.dim(2);
        List<float[]> rows = new ArrayList<>();
        for (Path input : inputs) {
            if (!isPng(input)) {
                throw new InvalidInputException(input + ": expected a PNG image (IDX files are read one at a time)");
            }
            BufferedImage image;
            try {
                image = ImageIO.read(input.toFile());
            } catch (IOException e) {
                throw new DataFormatException(input, -1, "cannot read as PNG: " + e.getMessage(), e);
            }
            if (image == null) {
                throw new DataFormatException(input, 0, "not a readable image");
            }
            BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = grey.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
            g.dispose();
            float[] row = new float[c * h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = grey.getRaster().getSample(x, y, 0);
                    for (int ch = 0; ch < c; ch++) {
                        row[(ch * h + y) * w + x] = invert ? 255 - v : v;
                    }
                }
            }
            rows.add(row);
        }
        float[] all = new float[rows.size() * sample.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, all, i * sample.size(), sample.size());
        }
        return Tensor.of(sample.withBatch(rows.size()), all);
    }

    private int[] readLabels(int n) {
        IdxArray idx = IdxReader.read(labels, 1);
        if (idx.count() != n) {
            throw new InvalidInputException(labels + " holds " + idx.count() + " labels for " + n + " inputs; expected "
                    + "the same count");
        }
        return idx.toLabels();
    }

    private static boolean isPng(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && (magic[0] & 0xFF) == 0x89 && magic[1] == 'P' && magic[2] == 'N' && magic[3] == 'G';
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()));
        }
    }
}
