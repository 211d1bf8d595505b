package org.modelbench.app.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.SavedModelHeader;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.plugins.Registered;

/**
 * Reads a saved model folder for {@code predict}, {@code explain} and {@code model summary}: its
 * {@link ModelCard} first (are the family and every layer provider it names installed, at the same
 * major version?), then the model through its family, then checks that the model is the one the card
 * describes. A folder written before cards existed falls back to {@code preprocessing.json} beside
 * it (the old bundle layout) or to no preprocessing. A symbolic link inside the folder that leaves it
 * is refused before anything is read.
 */
public final class SavedModels {
    /** The largest card read; real cards are a few KB. */
    static final long MAX_CARD_BYTES = 1 << 20;

    private SavedModels() {
    }

    /**
     * A loaded model and how to feed it.
     *
     * @param model         the model
     * @param preprocessing what to apply to raw inputs first
     * @param card          the folder's card; empty for folders saved before cards existed
     */
    public record Loaded(Model model, FittedPreprocessing preprocessing, Optional<ModelCard> card) {
    }

    /**
     * Loads {@code directory}.
     *
     * @throws InvalidInputException when the folder is not a model, a provider it needs is missing or
     *                               of another major version, or a link leaves the folder
     * @throws DataFormatException   when its card is malformed or does not match the model
     */
    public static Loaded load(PluginRegistry registry, Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidInputException(directory + ": expected a saved model directory (with "
                    + SavedModelHeader.FILE_NAME + ")");
        }
        DirectoryHash.files(directory);
        Optional<ModelCard> card = readCard(directory);
        card.ifPresent(c -> requireProviders(registry, directory, c));
        Model model = registry.loadModel(directory);
        if (card.isEmpty()) {
            int channels = model.sampleShape().rank() >= 2 ? model.sampleShape().dim(0) : 1;
            return new Loaded(model, FittedPreprocessing.besideModel(directory)
                    .orElse(FittedPreprocessing.identity(channels)), card);
        }
        ModelCard c = card.get();
        Path file = directory.resolve(ModelCard.FILE_NAME);
        if (!c.family().id().equals(model.familyId())) {
            throw new DataFormatException(file, -1, "names family '" + c.family().id() + "' but the folder holds a '"
                    + model.familyId() + "' model");
        }
        if (!c.classNames().equals(model.classNames())) {
            throw new DataFormatException(file, -1, "classNames " + c.classNames() + " differ from the model's "
                    + model.classNames());
        }
        java.util.List<Integer> shape = java.util.Arrays.stream(model.sampleShape().dims()).boxed().toList();
        if (!c.sampleShape().equals(shape)) {
            throw new DataFormatException(file, -1, "sampleShape " + c.sampleShape() + " differs from the model's "
                    + shape);
        }
        int channels = shape.size() >= 2 ? shape.get(0) : 1;
        if (c.preprocessing().mean().size() != channels || c.preprocessing().std().size() != channels) {
            throw new DataFormatException(file, -1, "preprocessing: expected " + channels + " channel(s) of mean and "
                    + "std, got " + c.preprocessing().mean().size() + " and " + c.preprocessing().std().size());
        }
        return new Loaded(model, c.preprocessing(), card);
    }

    private static Optional<ModelCard> readCard(Path directory) {
        Path file = directory.resolve(ModelCard.FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            if (Files.size(file) > MAX_CARD_BYTES) {
                throw new DataFormatException(file, -1, "larger than " + MAX_CARD_BYTES + " bytes; expected a model card");
            }
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage(), e);
        }
        try {
            return Optional.of(Json.read(file, ModelCard.class));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DataFormatException(file, -1, e.getMessage(), e);
        }
    }

    private static void requireProviders(PluginRegistry registry, Path directory, ModelCard card) {
        require(directory, "model family", card.family(), registry.family(card.family().id()));
        for (ModelCard.Provider layer : card.layers()) {
            require(directory, "layer type", layer, registry.layer(layer.id()));
        }
    }

    private static void require(Path directory, String kind, ModelCard.Provider needed,
                                Optional<? extends Registered<?>> installed) {
        String origin = needed.jar() == null ? "" : ", from " + needed.jar();
        if (installed.isEmpty()) {
            throw new InvalidInputException(directory + ": needs " + kind + " '" + needed.id() + "' (version "
                    + needed.version() + origin + "), which is not installed; expected its plugin jar in the plugins "
                    + "folder (modelbench plugins lists what is installed)");
        }
        String version = installed.get().info().version();
        OptionalMajor saved = OptionalMajor.of(needed.version());
        OptionalMajor now = OptionalMajor.of(version);
        if (saved.known() && now.known() && saved.major() != now.major()) {
            throw new InvalidInputException(directory + ": saved with " + kind + " '" + needed.id() + "' version "
                    + needed.version() + origin + ", but version " + version + " is installed; expected major version "
                    + saved.major() + " (install that plugin version)");
        }
    }

    /** The major version of a version string like {@code 1.4.0-SNAPSHOT}; unknown for {@code dev}. */
    record OptionalMajor(boolean known, int major) {
        static OptionalMajor of(String version) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d{1,9})(\\D.*)?$").matcher(version);
            return m.matches() ? new OptionalMajor(true, Integer.parseInt(m.group(1))) : new OptionalMajor(false, 0);
        }
    }
}
