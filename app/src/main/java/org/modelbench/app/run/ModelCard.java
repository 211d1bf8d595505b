package org.modelbench.app.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.modelbench.api.Model;
import org.modelbench.api.ModelSummary;
import org.modelbench.api.provenance.ComponentInfo;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * What {@code predict} needs besides the family's own files, {@value #FILE_NAME} inside every saved
 * model folder the runner writes: the providers (family and every layer type) with their versions,
 * the class names, the per-sample input shape and the fitted preprocessing. A copied model folder is
 * thereby self-contained. Read back by {@link SavedModels}.
 *
 * @param format        the card's format version, {@value #FORMAT}
 * @param family        the model family that wrote the folder
 * @param layers        the layer providers the model is built from (empty for models without layers),
 *                      by id
 * @param classNames    class names, index = class
 * @param sampleShape   the per-sample input shape, e.g. {@code [1, 28, 28]}
 * @param preprocessing the preprocessing applied to raw inputs before the model sees them
 */
public record ModelCard(int format, Provider family, List<Provider> layers, List<String> classNames,
                        List<Integer> sampleShape, FittedPreprocessing preprocessing) {
    /** The file name inside a model folder. */
    public static final String FILE_NAME = "modelbench-card.json";
    /** The current format version. */
    public static final int FORMAT = 1;

    public ModelCard {
        if (format < 1) {
            throw new IllegalArgumentException("format must be >= 1, got " + format);
        }
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(preprocessing, "preprocessing");
        layers = List.copyOf(layers);
        classNames = List.copyOf(classNames);
        sampleShape = List.copyOf(sampleShape);
    }

    /**
     * A provider a saved model needs.
     *
     * @param id      the provider id
     * @param version its version when the model was saved
     * @param module  its module ({@code unnamed} on the class path)
     * @param jar     the jar file name it came from (for messages: which plugin to install)
     */
    public record Provider(String id, String version, String module, String jar) {
        public Provider {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(version, "version");
        }

        static Provider of(ComponentInfo info) {
            return new Provider(info.id(), info.version(), info.module(), Path.of(info.location()).getFileName()
                    .toString());
        }
    }

    /**
     * The card of {@code model} trained with {@code preprocessing}: its family and the registry's
     * layer providers among the layer types of its {@link Model#summary() summary}.
     */
    public static ModelCard of(Model model, PluginRegistry registry, FittedPreprocessing preprocessing) {
        ComponentInfo family = registry.family(model.familyId()).orElseThrow(() -> new IllegalStateException(
                "model family " + model.familyId() + " is not registered")).info();
        List<Provider> layers = model.summary().rows().stream().map(ModelSummary.Row::type).distinct().sorted()
                .flatMap(type -> registry.layer(type).stream()).map(r -> Provider.of(r.info())).toList();
        return new ModelCard(FORMAT, Provider.of(family), layers, model.classNames(),
                java.util.Arrays.stream(model.sampleShape().dims()).boxed().toList(), preprocessing);
    }

    /** Writes this card into {@code modelDirectory} atomically. */
    public void write(Path modelDirectory) {
        Json.write(modelDirectory.resolve(FILE_NAME), this);
    }
}
