package org.modelbench.app.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.RecordBinder;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.Manifest;

/**
 * A bundle's {@code resolved.json} read back into the manifest types: the experiment as a
 * {@link Manifest} whose every default is filled in and whose models' {@code params} are their
 * families' full configs, plus where the manifest came from and which family version and module
 * each model was resolved with.
 *
 * @param source     the original manifest's file name and folder
 * @param experiment the resolved experiment
 * @param families   per model id, the family version and module it was resolved with
 */
public record Resolved(Source source, Manifest experiment, Map<String, FamilyOrigin> families) {
    public Resolved {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(experiment, "experiment");
        families = Map.copyOf(families);
    }

    /**
     * @param file      the manifest's file name
     * @param directory the folder relative data paths resolve against
     */
    public record Source(String file, String directory) {
        public Source {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(directory, "directory");
        }
    }

    /** The family version and module a model was resolved with. */
    public record FamilyOrigin(String familyVersion, String familyModule) {
    }

    /** The keys {@link ExperimentPlan#resolvedTree()} adds to each model entry beyond {@code ModelSpec}'s. */
    private static final List<String> ORIGIN_KEYS = List.of("familyVersion", "familyModule");

    /**
     * Reads {@code bundle}'s {@code resolved.json}.
     *
     * @throws DataFormatException when it does not hold a resolved experiment
     */
    public static Resolved read(Bundle bundle) {
        Path file = bundle.resolved();
        Map<String, Object> tree = Json.readTree(file);
        if (!(tree.get("source") instanceof Map<?, ?> source) || !(source.get("file") instanceof String name)
                || !(source.get("directory") instanceof String directory)) {
            throw new DataFormatException(file, -1, "expected a 'source' with 'file' and 'directory'");
        }
        if (!(tree.get("experiment") instanceof Map<?, ?> experiment)) {
            throw new DataFormatException(file, -1, "expected an 'experiment' object");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        experiment.forEach((k, v) -> copy.put(String.valueOf(k), v));
        Map<String, FamilyOrigin> families = new LinkedHashMap<>();
        List<Object> models = new ArrayList<>();
        if (copy.get("models") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> m) {
                    Map<String, Object> model = new LinkedHashMap<>();
                    m.forEach((k, v) -> model.put(String.valueOf(k), v));
                    FamilyOrigin origin = new FamilyOrigin(stringOrNull(model.remove(ORIGIN_KEYS.get(0))),
                            stringOrNull(model.remove(ORIGIN_KEYS.get(1))));
                    families.put(String.valueOf(model.get("id")), origin);
                    models.add(model);
                } else {
                    models.add(entry);
                }
            }
            copy.put("models", models);
        }
        try {
            return new Resolved(new Source(name, directory), RecordBinder.bind(copy, Manifest.class, "experiment"),
                    families);
        } catch (ModelbenchException | IllegalArgumentException e) {
            throw new DataFormatException(file, -1, "expected a resolved experiment: " + e.getMessage(), e);
        }
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
