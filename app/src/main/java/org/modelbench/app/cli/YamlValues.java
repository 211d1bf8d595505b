package org.modelbench.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.modelbench.api.InvalidInputException;

/** Parses command-line {@code KEY=VALUE} pairs whose values are YAML (numbers, lists, maps, strings). */
final class YamlValues {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlValues() {
    }

    static Map<String, Object> parseAll(Map<String, String> pairs, String option) {
        Map<String, Object> out = new LinkedHashMap<>();
        pairs.forEach((key, value) -> {
            try {
                out.put(key, YAML.readValue(value, Object.class));
            } catch (JsonProcessingException e) {
                throw new InvalidInputException(option + " " + key + ": cannot read value \"" + value + "\" as YAML");
            }
        });
        return out;
    }
}
