package org.modelbench.spark;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.modelbench.app.run.Json;

/**
 * The JSON of what the driver and the executors send each other (the shipped bundle, a wave's input
 * trials, each task's outcome). Trial files travel as base64 strings, which can be far longer than
 * Jackson's default string limit (20 MB; a 100-tree forest on full MNIST saves more), so this mapper
 * allows strings up to {@value #MAX_STRING} characters, the size Spark's own result limit bounds anyway.
 */
final class Wire {
    /** The longest string read: 1 GiB of characters. */
    static final int MAX_STRING = 1 << 30;
    static final ObjectMapper MAPPER = configured();

    private Wire() {
    }

    private static ObjectMapper configured() {
        ObjectMapper mapper = Json.MAPPER.copy();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING).build());
        return mapper;
    }
}
