package org.modelbench.onnx.internal.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.modelbench.api.InvalidInputException;

/**
 * A Keras 3 {@code .keras} file: a zip of {@code config.json} (the model's Keras serialization),
 * {@code metadata.json} ({@code keras_version}) and {@code model.weights.h5}, in which the variables of
 * each layer are {@code layers/<snake_case class>[_n]/vars/<index>} (the n-th further layer of the same
 * class gets {@code _n}; the layers counted in the config's order; see {@link KerasVariables} for the
 * variable order). The entries are read into memory, each bounded (a declared or actual size over the
 * bound is refused before it is inflated further: zip bombs), and the HDF5 is read from those bytes;
 * nothing is extracted to disk.
 */
final class KerasArchive {
    /** The largest {@code config.json} / {@code metadata.json}. */
    static final long MAX_JSON_BYTES = 64L << 20;
    /** The largest {@code model.weights.h5} (it is held in memory). */
    static final long MAX_WEIGHTS_BYTES = 1L << 30;
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.weights.h5";

    private KerasArchive() {
    }

    static KerasModel read(Path file) {
        JsonNode config;
        byte[] h5;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            config = json(file, entry(file, zip, CONFIG, MAX_JSON_BYTES));
            h5 = entry(file, zip, WEIGHTS, MAX_WEIGHTS_BYTES);
        } catch (ZipException e) {
            throw new InvalidInputException(file + ": not a readable zip (.keras) file: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
        // the topology first: its errors name layers, before any weight is read
        KerasTopology.read(file, config);
        Hdf5Weights.checkLength(file, WEIGHTS, h5, h5.length);
        Map<String, KerasWeight> weights = Hdf5Weights.guard(file, WEIGHTS, () -> {
            try (HdfFile hdf = HdfFile.fromBytes(h5)) {
                return weights(file, config, new Hdf5Weights(file, hdf, WEIGHTS + " ", h5.length));
            }
        });
        return KerasModel.of(file, config, weights);
    }

    /** The bytes of entry {@code name}, at most {@code max}. */
    private static byte[] entry(Path file, ZipFile zip, String name, long max) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new InvalidInputException(file + ": " + name + ": missing; expected a Keras 3 .keras zip with "
                    + CONFIG + " and " + WEIGHTS);
        }
        if (e.getSize() > max) {
            throw new InvalidInputException(file + ": " + name + ": declares " + e.getSize()
                    + " bytes uncompressed; expected at most " + max);
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) max + 1);
            if (b.length > max) {
                throw new InvalidInputException(file + ": " + name + ": inflates to more than " + max + " bytes");
            }
            if (e.getSize() >= 0 && b.length != e.getSize()) {
                throw new InvalidInputException(file + ": " + name + ": declares " + e.getSize() + " bytes but holds "
                        + b.length);
            }
            return b;
        }
    }

    private static JsonNode json(Path file, byte[] bytes) {
        try {
            JsonNode n = new ObjectMapper().readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new InvalidInputException(file + ": " + CONFIG + ": expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": " + CONFIG + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(file + ": " + CONFIG + ": " + e.getMessage());
        }
    }

    /** Each layer's variables, by {@code <layer>/<variable>}, checked in number against its config. */
    private static Map<String, KerasWeight> weights(Path file, JsonNode modelConfig, Hdf5Weights h5) {
        JsonNode c = modelConfig.path("config");
        JsonNode list = c.isArray() ? c : c.path("layers");
        Map<String, KerasWeight> out = new LinkedHashMap<>();
        Map<String, Integer> used = new HashMap<>();
        for (JsonNode raw : list) {
            String cls = raw.path("class_name").asText("");
            JsonNode cfg = raw.path("config");
            String name = raw.path("name").asText(cfg.path("name").asText(""));
            String key = KerasVariables.snakeCase(cls);
            Integer n = used.merge(key, 0, (a, b) -> a + 1);
            if (n > 0) {
                key = key + "_" + n;
            }
            String path = "layers/" + key + "/vars";
            List<String> expected = KerasVariables.of(new KerasLayer(name, cls, cfg, List.of()));
            Group vars = h5.group(path);
            int stored = vars == null ? 0 : Hdf5Weights.guard(file, WEIGHTS + " " + path, () -> vars.getChildren().size());
            if (vars != null) {
                String[] owner = h5.strings(vars, "name");
                if (owner != null && owner.length == 1 && !owner[0].equals(name)) {
                    throw new InvalidInputException(file + ": " + WEIGHTS + " " + path + ": holds the variables of layer '"
                            + owner[0] + "', expected layer '" + name + "' (the config's layer order)");
                }
            }
            if (expected != null && stored != expected.size()) {
                throw new InvalidInputException(file + ": layer " + name + " (" + cls + "): " + WEIGHTS + " " + path
                        + " holds " + stored + " variable(s); its config expects " + expected.size() + " " + expected);
            }
            for (int i = 0; i < stored; i++) {
                String field = expected != null ? expected.get(i) : String.valueOf(i);
                String weight = name + "/" + field;
                out.put(weight, h5.weight(path + "/" + i, weight));
            }
        }
        return out;
    }
}
