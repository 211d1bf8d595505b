package org.modelbench.app.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.modelbench.api.InspectableModel;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.Printable;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.app.explain.GradCam;
import org.modelbench.app.explain.Images;
import org.modelbench.app.explain.Pictures;
import org.modelbench.app.run.SavedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code modelbench explain --model DIR --input FILE --out DIR}: activation grids and Grad-CAM
 * overlays of a saved model whose family can be inspected ({@link InspectableModel}).
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Show what a saved model sees: for each input, a PNG grid of every channel of the chosen layers' "
                + "outputs, and a PNG of Grad-CAM heatmaps (input, heatmap, overlay; one row per input) for the "
                + "predicted class or --class.",
                "Works for models whose family exposes layer outputs and gradients (the engine's families). The "
                        + "preprocessing the model was trained with (preprocessing.json beside its folder) is applied "
                        + "first. Prints every file written."})
final class ExplainCommand implements Callable<Integer> {

    @ParentCommand
    ModelbenchCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A saved model folder.")
    Path modelDirectory;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "An IDX images file or a PNG image; repeatable (PNGs only).")
    List<Path> inputs;

    @Option(names = "--count", paramLabel = "N", defaultValue = "4",
            description = "Explain the first N rows of an IDX input (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--layers", split = ",", paramLabel = "NAME",
            description = "Layers whose activations to draw (default: every layer with feature maps [C, H, W] "
                    + "but dropout, which shows its input unchanged at inference).")
    List<String> layers;

    @Option(names = "--gradcam-layer", paramLabel = "NAME",
            description = "The Grad-CAM layer (default: the last layer with feature maps).")
    String gradCamLayer;

    @Option(names = "--class", paramLabel = "K",
            description = "Explain this class (index or name) instead of each input's predicted class.")
    String explainedClass;

    @Option(names = "--invert", description = "Invert PNG grey values (for dark digits on a light background).")
    boolean invert;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the PNGs (created).")
    Path out;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        if (count < 1) {
            throw new InvalidInputException("--count: expected an integer >= 1, got " + count);
        }
        SavedModels.Loaded saved = SavedModels.load(root.registry(), modelDirectory);
        Model loaded = saved.model();
        if (!(loaded instanceof InspectableModel model)) {
            throw new InvalidInputException(modelDirectory + ": model family " + loaded.familyId() + " does not expose "
                    + "layer outputs and gradients; explain needs an inspectable model (e.g. the engine's families)");
        }
        Shape sample = model.sampleShape();
        if (sample.rank() != 3) {
            throw new InvalidInputException(modelDirectory + ": explain draws feature maps and Grad-CAM heatmaps of "
                    + "images and needs a model of image samples [channels, height, width]; this " + loaded.familyId()
                    + " model takes samples of " + sample + (sample.rank() == 2 ? " (sequences: channels x length)"
                    : sample.rank() == 1 ? " (table rows)" : ""));
        }
        Tensor raw = InputImages.read(inputs, sample, invert, modelDirectory);
        if (raw.batchSize() > count && inputs.size() == 1) {
            raw = raw.slice(0, count);
        }
        List<String> chosen = layers == null || layers.isEmpty() ? model.layerNames().stream()
                .filter(l -> model.layerShape(l).rank() == 3 && !model.layerType(l).equals("dropout")).toList()
                : layers;
        for (String layer : chosen) {
            requireLayer(model, layer, "--layers");
        }
        String camLayer = gradCamLayer == null ? GradCam.defaultLayer(model) : gradCamLayer;
        requireLayer(model, camLayer, "--gradcam-layer");
        Tensor batch = raw.copy();
        saved.preprocessing().apply(batch);
        int n = batch.batchSize();
        Tensor probabilities = model.predictProbabilities(batch);
        int[] predicted = probabilities.argmaxRows();
        int[] classes = explainedClass == null ? predicted : filled(n, classIndex(model));
        createOut();
        for (String layer : chosen) {
            Tensor activations = model.activations(batch, layer);
            for (int i = 0; i < n; i++) {
                write(console, Pictures.activationGrid(activations, i, model.layerShape(layer)),
                        "input-" + i + "-activations-" + fileSafe(layer) + ".png");
            }
        }
        Tensor pixels = raw.copy();
        float[] p = pixels.data();
        for (int i = 0; i < p.length; i++) {
            p[i] /= 255f;
        }
        write(console, Pictures.gradCam(model, pixels, batch, camLayer, classes), "gradcam.png");
        int k = model.classNames().size();
        for (int i = 0; i < n; i++) {
            console.printf("input %d: predicted %s (p=%.4f), Grad-CAM of class %s at layer %s%n", i,
                    Printable.of(model.classNames().get(predicted[i])), probabilities.data()[i * k + predicted[i]],
                    Printable.of(model.classNames().get(classes[i])), Printable.of(camLayer));
        }
        console.flush();
        return ExitCodes.OK;
    }

    private static void requireLayer(InspectableModel model, String layer, String option) {
        if (!model.layerNames().contains(layer)) {
            throw new InvalidInputException(option + ": the model has no layer '" + layer + "'; expected one of "
                    + model.layerNames());
        }
    }

    private int classIndex(Model model) {
        List<String> names = model.classNames();
        if (names.contains(explainedClass)) {
            return names.indexOf(explainedClass);
        }
        try {
            int k = Integer.parseInt(explainedClass.trim());
            if (k >= 0 && k < names.size()) {
                return k;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("--class: expected a class index in [0, " + (names.size() - 1) + "] or one of "
                + names + ", got \"" + explainedClass + "\"");
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static float[] firstChannel(Tensor images, int row, float scale) {
        Shape s = images.shape();
        int area = s.dim(2) * s.dim(3);
        float[] out = new float[area];
        int base = row * s.size() / s.dim(0);
        for (int p = 0; p < area; p++) {
            out[p] = images.data()[base + p] * scale;
        }
        return out;
    }

    private static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private void createOut() {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new InvalidInputException("--out: cannot create folder " + out + ": " + e.getMessage());
        }
    }

    private void write(PrintWriter console, BufferedImage image, String name) {
        Path file = out.resolve(name);
        try {
            Images.write(image, file);
        } catch (ModelbenchException e) {
            throw new ModelbenchException("cannot write " + file + ": " + e.getMessage(), e);
        }
        console.println("wrote " + file);
    }
}
