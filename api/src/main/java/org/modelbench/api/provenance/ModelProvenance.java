package org.modelbench.api.provenance;

import java.util.Map;

/**
 * How a model was made.
 *
 * @param familyId      the model family id
 * @param familyVersion the family provider's version
 * @param config        the typed configuration record, with all defaults filled in
 * @param seed          the root seed of the training run
 * @param threads       the threads the run used
 * @param details       backend facts, e.g. Tribuo's own provenance as JSON, or which layers were
 *                      trainable; values are plain strings
 */
public record ModelProvenance(String familyId, String familyVersion, Record config, long seed, int threads,
                              Map<String, String> details) {
    public ModelProvenance {
        details = Map.copyOf(details);
    }
}
