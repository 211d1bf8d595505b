package org.modelbench.app.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * Fills in the defaults of layer specs in a resolved family config: every map in a list under a
 * {@code layers} key whose {@code type} is a known layer type is bound to that layer provider's
 * config record and written back in full ({@code type}, {@code name} and {@code inputs} first, as
 * given), so that {@code resolved.json} shows every default as the README promises.
 */
final class LayerSpecDefaults {
    private static final List<String> META_KEYS = List.of("type", "name", "inputs");

    private LayerSpecDefaults() {
    }

    /** {@code tree} with the layer specs in it completed; other values as they are. */
    static Object fill(Object tree, PluginRegistry registry) {
        if (tree instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, value) -> out.put(String.valueOf(key), key.equals("layers") && value instanceof List<?> list
                    ? list.stream().map(spec -> spec(spec, registry)).toList() : fill(value, registry)));
            return out;
        }
        if (tree instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(fill(v, registry)));
            return out;
        }
        return tree;
    }

    private static Object spec(Object spec, PluginRegistry registry) {
        if (!(spec instanceof Map<?, ?> map) || !(map.get("type") instanceof String type)
                || registry.layer(type).isEmpty()) {
            return fill(spec, registry);
        }
        LayerProvider<?> provider = registry.layer(type).get().provider();
        Map<String, Object> rest = new LinkedHashMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> (META_KEYS.contains(String.valueOf(k)) ? out : rest).put(String.valueOf(k), v));
        try {
            out.putAll(RecordBinder.toTree(RecordBinder.bind(rest, provider.configType(), "layer")));
            return out;
        } catch (ModelbenchException | IllegalArgumentException e) {
            // the manifest check has bound every spec already; a spec that does not bind stays as written
            return fill(spec, registry);
        }
    }
}
