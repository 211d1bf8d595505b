package org.modelbench.onnx.internal.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.InvalidInputException;

/**
 * A legacy Keras {@code .h5} file (Keras 2's {@code model.save("m.h5")}): the root attribute
 * {@code model_config} (the model's JSON config) and the group {@code model_weights}, whose attribute
 * {@code layer_names} lists the layers (split into {@code layer_names0, 1, ...} when long) and whose
 * group per layer has attribute {@code weight_names} (e.g. {@code Conv1/kernel:0}) and the datasets at
 * those paths. A weight is named {@code <layer>/<last path part without :0>}.
 */
final class LegacyH5 {
    private LegacyH5() {
    }

    static KerasModel read(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            Hdf5Weights.checkLength(file, "HDF5", in.readNBytes(4096), java.nio.file.Files.size(file));
        } catch (java.io.IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
        return Hdf5Weights.guard(file, "HDF5", () -> {
            try (HdfFile hdf = new HdfFile(file)) {
                long size = file.toFile().length();
                Hdf5Weights h5 = new Hdf5Weights(file, hdf, "", size);
                String[] config = h5.strings(hdf, "model_config");
                if (config == null || config.length != 1) {
                    throw new InvalidInputException(file + ": /@model_config: missing; expected a Keras model saved "
                            + "with model.save (not only its weights)");
                }
                JsonNode modelConfig = json(file, config[0]);
                KerasTopology.read(file, modelConfig);
                return KerasModel.of(file, modelConfig, weights(file, h5));
            }
        });
    }

    private static JsonNode json(Path file, String text) {
        try {
            JsonNode n = new ObjectMapper().readTree(text);
            if (n == null || !n.isObject()) {
                throw new InvalidInputException(file + ": /@model_config: expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": /@model_config: not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, KerasWeight> weights(Path file, Hdf5Weights h5) {
        Group group = h5.group("model_weights");
        if (group == null) {
            throw new InvalidInputException(file + ": /model_weights: missing; expected the group of layer weights");
        }
        Map<String, KerasWeight> out = new LinkedHashMap<>();
        for (String layer : chunked(h5, group, "layer_names", file)) {
            Group g = h5.group("model_weights/" + layer);
            if (g == null) {
                throw new InvalidInputException(file + ": /model_weights/" + layer + ": missing (listed in layer_names)");
            }
            String[] names = h5.strings(g, "weight_names");
            for (String w : names == null ? new String[0] : names) {
                String base = w.substring(w.lastIndexOf('/') + 1);
                if (base.endsWith(":0")) {
                    base = base.substring(0, base.length() - 2);
                }
                String name = layer + "/" + base;
                if (out.put(name, h5.weight("model_weights/" + layer + "/" + w, name)) != null) {
                    throw new InvalidInputException(file + ": /model_weights/" + layer + "@weight_names: weight " + base
                            + " listed twice");
                }
            }
        }
        return out;
    }

    /** An attribute Keras may split into {@code name0, name1, ...} when it is long. */
    private static List<String> chunked(Hdf5Weights h5, Group g, String name, Path file) {
        String[] whole = h5.strings(g, name);
        if (whole != null) {
            return List.of(whole);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            String[] part = h5.strings(g, name + i);
            if (part == null) {
                break;
            }
            out.addAll(List.of(part));
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(file + ": /model_weights@" + name + ": missing");
        }
        return out;
    }
}
