package org.modelbench.app.manifest;

import java.util.Map;
import org.modelbench.api.ConfigException;

/**
 * One model entry.
 *
 * @param id            a folder-safe id, unique in the manifest
 * @param family        a model family id ({@code modelbench plugins})
 * @param params        the family's parameters; they bind to the family's config record
 * @param preprocessing replaces the dataset's preprocessing for this model when given
 * @param trainer       how the runner drives the family's trainer
 * @param search        expands the distributions in {@code params} into candidates, one selected per seed
 *                      (and fold) on the validation rows; {@code null} for a single configuration
 */
public record ModelSpec(String id, String family, Map<String, Object> params, Preprocessing preprocessing,
                        TrainerSettings trainer,
                        @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) SearchSpec search) {

    public ModelSpec {
        id = Names.require(id, "id");
        if (family == null || family.isBlank()) {
            throw new ConfigException("family", "missing; expected a model family id (modelbench plugins lists them)");
        }
        params = params == null ? Map.of() : params;
        trainer = trainer == null ? new TrainerSettings(null, null, null) : trainer;
    }

    /** The preprocessing of this model: its own, else the dataset's. */
    public Preprocessing effectivePreprocessing(DatasetSpec dataset) {
        return preprocessing != null ? preprocessing : dataset.preprocessing();
    }
}
