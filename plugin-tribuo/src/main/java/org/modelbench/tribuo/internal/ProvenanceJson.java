package org.modelbench.tribuo.internal;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;

/** Tribuo's own provenance, marshalled by OLCUT and written as JSON. */
final class ProvenanceJson {
    private ProvenanceJson() {
    }

    /** The provenance as compact JSON (a list of marshalled provenance objects). */
    static String of(ObjectProvenance provenance) {
        return new JsonProvenanceSerialization(false).marshalAndSerialize(provenance);
    }
}
