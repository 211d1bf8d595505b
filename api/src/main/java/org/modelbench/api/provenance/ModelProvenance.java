package org.modelbench.api.provenance;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a model was made.
 *
 * @param familyId      the model family id
 * @param familyVersion the family provider's version
 * @param config        the typed configuration record, with all defaults filled in
 * @param seed          the root seed of the training run
 * @param threads       the threads the run used
 * @param details       backend facts, e.g. Tribuo's own provenance as JSON, or which layers were
 *                      trainable; values are plain strings. Kept sorted by key, so that anything
 *                      written from it (saved model files) is byte-identical from run to run
 */
public record ModelProvenance(String familyId, String familyVersion, Record config, long seed, int threads,
                              Map<String, String> details) {
    public ModelProvenance {
        details = Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(details)));
    }
}
