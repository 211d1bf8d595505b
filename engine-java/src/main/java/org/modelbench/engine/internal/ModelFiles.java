package org.modelbench.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Parameter;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.SavedModelHeader;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.StatefulLayer;

/**
 * The engine's saved-model format, version {@value #FORMAT_VERSION} (documented in
 * {@code docs/model-format.md}): a directory with
 * <ul>
 *   <li>{@code modelbench-model.properties}: the {@link SavedModelHeader} (family id, format version);</li>
 *   <li>{@code architecture.json}: input shape, class names, the nodes ({@code name}, {@code type},
 *       {@code inputs}, {@code config} as a plain tree), provenance, and the weights file's size and SHA-256;</li>
 *   <li>{@code weights.safetensors}: every parameter as {@code <node>.<parameter>} and every layer state
 *       tensor as {@code <node>.state.<name>}, float32 little-endian.</li>
 * </ul>
 * Nothing in it is executed: layers are rebuilt from their configs through the layer providers
 * of the built-in types and of the catalogue given to {@code load}, and every size, offset and checksum is verified before use.
 */
public final class ModelFiles {
    /** The current format version. */
    public static final int FORMAT_VERSION = 1;
    static final String ARCHITECTURE = "architecture.json";
    static final String WEIGHTS = "weights.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {
    }

    static void save(EngineModel model, Path dir) {
        Network net = model.network();
        Map<String, Tensor> tensors = tensors(net);
        byte[] weights = Safetensors.write(tensors);
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("format", "modelbench-engine-network");
        arch.put("formatVersion", FORMAT_VERSION);
        arch.put("family", model.familyId());
        arch.put("name", net.name());
        arch.put("inputShape", net.inputShape().dims());
        arch.put("classNames", model.classNames());
        List<Object> nodes = new ArrayList<>();
        for (Network.Node node : net.nodes()) {
            if (node.config() == null) {
                throw new InvalidInputException("model " + net.name() + ": node '" + node.name()
                        + "' was added as a layer instance without a config and cannot be saved");
            }
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", node.name());
            n.put("type", node.layer().type());
            n.put("inputs", node.inputs());
            n.put("config", RecordBinder.toTree(node.config()));
            nodes.add(n);
        }
        arch.put("nodes", nodes);
        ModelProvenance p = model.provenance();
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("familyVersion", p.familyVersion());
        prov.put("config", p.config() == null ? null : RecordBinder.toTree(p.config()));
        prov.put("seed", p.seed());
        prov.put("threads", p.threads());
        prov.put("details", p.details());
        arch.put("provenance", prov);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("file", WEIGHTS);
        w.put("bytes", weights.length);
        w.put("sha256", sha256(weights));
        arch.put("weights", w);
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(WEIGHTS), weights);
            AtomicFiles.write(dir.resolve(ARCHITECTURE), JSON.writeValueAsBytes(arch));
        } catch (IOException e) {
            throw new org.modelbench.api.ModelbenchException("cannot save model to " + dir + ": " + e.getMessage(), e);
        }
        new SavedModelHeader(model.familyId(), FORMAT_VERSION).write(dir);
    }

    /** Every parameter and state tensor of {@code net} by its saved name. */
    static Map<String, Tensor> tensors(Network net) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Network.Node node : net.nodes()) {
            for (Parameter p : node.layer().parameters()) {
                out.put(node.name() + "." + p.name(), p.value());
            }
            if (node.layer() instanceof StatefulLayer s) {
                s.state().forEach((k, v) -> out.put(node.name() + ".state." + k, v));
            }
        }
        return out;
    }

    /**
     * Reads a model directory saved by {@code family}.
     *
     * @param configType the family's config record, to restore provenance
     * @param layers     the layer types beyond the built-in ones (a plugin's) the architecture may name
     */
    static EngineModel load(Path dir, String family, Class<? extends Record> configType, ProviderCatalogue layers) {
        SavedModelHeader.read(dir).require(dir, family, FORMAT_VERSION);
        Path archFile = SavedModelHeader.file(dir, ARCHITECTURE);
        Map<?, ?> arch;
        try {
            arch = JSON.readValue(Files.readAllBytes(archFile), Map.class);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(archFile, -1, "missing");
        } catch (IOException e) {
            throw new DataFormatException(archFile, -1, "not valid JSON: " + e.getMessage());
        }
        if (!"modelbench-engine-network".equals(arch.get("format"))) {
            throw new DataFormatException(archFile, -1, "expected format modelbench-engine-network, got "
                    + arch.get("format"));
        }
        if (!(arch.get("formatVersion") instanceof Integer version) || version < 1 || version > FORMAT_VERSION) {
            throw new DataFormatException(archFile, -1, "unknown format version " + arch.get("formatVersion")
                    + "; this build reads versions 1 to " + FORMAT_VERSION);
        }
        try {
            Shape input = new Shape(((List<?>) arch.get("inputShape")).stream()
                    .mapToInt(v -> ((Number) v).intValue()).toArray());
            List<String> classNames = ((List<?>) arch.get("classNames")).stream().map(String::valueOf).toList();
            String name = String.valueOf(arch.get("name"));
            List<Map<String, Object>> specs = nodeSpecs((List<?>) arch.get("nodes"));
            requireWeightsHoldParameters(dir, archFile, (Map<?, ?>) arch.get("weights"),
                    addAll(Network.shapeChecker(name, input, layers), specs).storedFloats());
            Network net = addAll(Network.builder(name, input, 0, layers), specs).build();
            readWeights(dir, (Map<?, ?>) arch.get("weights"), net);
            Map<?, ?> prov = (Map<?, ?>) arch.get("provenance");
            Record config = prov.get("config") == null ? null : RecordBinder.bind(prov.get("config"), configType,
                    "provenance.config");
            Map<String, String> details = new LinkedHashMap<>();
            ((Map<?, ?>) prov.get("details")).forEach((k, v) -> details.put(String.valueOf(k), String.valueOf(v)));
            ModelProvenance provenance = new ModelProvenance(family, String.valueOf(prov.get("familyVersion")), config,
                    ((Number) prov.get("seed")).longValue(), ((Number) prov.get("threads")).intValue(), details);
            return new EngineModel(family, net, classNames, provenance);
        } catch (DataFormatException e) {
            throw e;
        } catch (InvalidInputException e) {
            throw new DataFormatException(archFile, -1, e.getMessage(), e);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new DataFormatException(archFile, -1, "missing or mistyped field: " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> nodeSpecs(List<?> nodes) {
        List<Map<String, Object>> specs = new ArrayList<>();
        for (Object n : nodes) {
            Map<?, ?> node = (Map<?, ?>) n;
            Map<String, Object> spec = new LinkedHashMap<>();
            Map<?, ?> config = node.get("config") == null ? Map.of() : (Map<?, ?>) node.get("config");
            config.forEach((k, v) -> spec.put(String.valueOf(k), v));
            spec.put("type", node.get("type"));
            spec.put("name", node.get("name"));
            spec.put("inputs", node.get("inputs"));
            specs.add(spec);
        }
        return specs;
    }

    private static Network.Builder addAll(Network.Builder builder, List<Map<String, Object>> specs) {
        for (int i = 0; i < specs.size(); i++) {
            builder.add(specs.get(i), "nodes[" + i + "].config");
        }
        return builder;
    }

    /**
     * Every parameter is stored in the weights file as a float32, so a network whose layers would
     * allocate more floats than the file holds is refused before any of it is created: a few bytes
     * of architecture.json cannot make the loader allocate gigabytes.
     */
    private static void requireWeightsHoldParameters(Path dir, Path archFile, Map<?, ?> meta, long storedFloats) {
        Path file = SavedModelHeader.file(dir, WEIGHTS);
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, -1, "missing");
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage());
        }
        long expected = ((Number) meta.get("bytes")).longValue();
        if (size != expected) {
            throw new DataFormatException(file, Math.min(size, expected), "expected " + expected
                    + " bytes, found " + size + " (truncated or replaced)");
        }
        if (storedFloats > size / 4) {
            throw new DataFormatException(archFile, -1, "nodes: the layers declare " + storedFloats
                    + " parameters (" + 4 * storedFloats + " bytes as float32), but " + WEIGHTS + " has only "
                    + size + " bytes");
        }
    }

    private static void readWeights(Path dir, Map<?, ?> meta, Network net) {
        Path file = SavedModelHeader.file(dir, WEIGHTS);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, -1, "missing");
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage());
        }
        long expected = ((Number) meta.get("bytes")).longValue();
        if (bytes.length != expected) {
            throw new DataFormatException(file, Math.min(bytes.length, expected), "expected " + expected
                    + " bytes, found " + bytes.length + " (truncated or replaced)");
        }
        if (!sha256(bytes).equals(meta.get("sha256"))) {
            throw new DataFormatException(file, -1, "SHA-256 does not match architecture.json (corrupted)");
        }
        Map<String, Tensor> stored = Safetensors.read(bytes, file);
        Map<String, Tensor> wanted = tensors(net);
        for (Map.Entry<String, Tensor> e : wanted.entrySet()) {
            Tensor t = stored.get(e.getKey());
            if (t == null || !t.shape().equals(e.getValue().shape())) {
                throw new DataFormatException(file, -1, "expected tensor '" + e.getKey() + "' of shape "
                        + e.getValue().shape() + ", found " + (t == null ? "none" : t.shape().toString()));
            }
            System.arraycopy(t.data(), 0, e.getValue().data(), 0, t.data().length);
        }
        if (stored.size() != wanted.size()) {
            throw new DataFormatException(file, -1, "expected " + wanted.size() + " tensors, found " + stored.size());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
