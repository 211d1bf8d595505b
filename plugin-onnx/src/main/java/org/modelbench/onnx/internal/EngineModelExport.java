package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Parameter;
import org.modelbench.api.Printable;
import org.modelbench.api.SavedModelHeader;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.StatefulLayer;

/**
 * Exports a saved engine model (the documented format of {@code docs/model-format.md}:
 * {@code architecture.json} and {@code weights.safetensors}) to ONNX: the architecture is rebuilt
 * with the engine's public network builder from its layer specs, the weights are read from the
 * safetensors file (size and SHA-256 checked), and {@link OnnxExporter} writes the ONNX model.
 */
final class EngineModelExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The network of a saved engine model and the class names. */
    record Loaded(Network network, Map<String, Record> configs, List<String> classNames, String family) {
    }

    private EngineModelExport() {
    }

    static ModelProto export(Path directory, ProviderCatalogue providers) {
        Loaded loaded = load(directory, providers);
        return OnnxExporter.export(loaded.network(), loaded.configs());
    }

    static Loaded load(Path directory, ProviderCatalogue providers) {
        SavedModelHeader header = SavedModelHeader.read(directory);
        Path arch = SavedModelHeader.file(directory, "architecture.json");
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(arch));
        } catch (IOException e) {
            throw new DataFormatException(arch, -1, "expected an engine architecture.json (is '" + header.familyId()
                    + "' an engine family?): " + e.getMessage(), e);
        }
        if (!"modelbench-engine-network".equals(root.path("format").asText())) {
            throw new DataFormatException(arch, -1, "expected format modelbench-engine-network, got '"
                    + root.path("format").asText() + "' (only engine models export to ONNX)");
        }
        int[] inputShape = JSON.convertValue(root.path("inputShape"), int[].class);
        String name = root.path("name").asText("model");
        List<Map<String, Object>> specs = new java.util.ArrayList<>();
        for (JsonNode node : root.path("nodes")) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("type", node.path("type").asText());
            spec.put("name", node.path("name").asText());
            spec.put("inputs", JSON.convertValue(node.path("inputs"), List.class));
            @SuppressWarnings("unchecked")
            Map<String, Object> config = JSON.convertValue(node.path("config"), Map.class);
            if (config != null) {
                spec.putAll(config);
            }
            specs.add(spec);
        }
        String weightsName = root.path("weights").path("file").asText("weights.safetensors");
        if (!weightsName.equals("weights.safetensors")) {
            throw new DataFormatException(arch, -1, "weights.file: expected weights.safetensors, got '"
                    + Printable.of(weightsName) + "'");
        }
        Path weights = SavedModelHeader.file(directory, weightsName);
        // Sizes first: the layers may not declare more parameters than the weights file holds floats.
        long storedFloats = addAll(Network.shapeChecker(name, Shape.of(inputShape), providers), specs, arch).storedFloats();
        long size;
        try {
            size = Files.size(weights);
        } catch (IOException e) {
            throw new DataFormatException(weights, -1, "cannot read: " + e.getMessage(), e);
        }
        if (storedFloats > size / 4) {
            throw new DataFormatException(arch, -1, "nodes: the layers declare " + storedFloats + " parameters, but "
                    + weightsName + " has only " + size + " bytes");
        }
        Network net = addAll(Network.builder(name, Shape.of(inputShape), 0, providers), specs, arch).build();
        readWeights(weights, root.path("weights"), net);
        Map<String, Record> configs = new LinkedHashMap<>();
        net.nodes().forEach(n -> configs.put(n.name(), n.config()));
        @SuppressWarnings("unchecked")
        List<String> classes = JSON.convertValue(root.path("classNames"), List.class);
        return new Loaded(net, configs, classes, header.familyId());
    }

    private static Network.Builder addAll(Network.Builder builder, List<Map<String, Object>> specs, Path arch) {
        for (int i = 0; i < specs.size(); i++) {
            builder.add(specs.get(i), arch.getFileName() + ": nodes[" + i + "]");
        }
        return builder;
    }

    /**
     * The largest relative difference between the engine's own probabilities (the saved model loaded
     * by its family) and ONNX Runtime's on the exported model, for 8 random inputs.
     */
    static double check(Path directory, Loaded loaded, ModelProto proto, ProviderCatalogue providers) {
        org.modelbench.api.Model engine = providers.family(loaded.family())
                .orElseThrow(() -> new org.modelbench.api.InvalidInputException(directory + ": no model family '"
                        + loaded.family() + "' is loaded"))
                .load(directory, new ProviderContext(providers));
        OnnxModelFile file = OnnxModelFile.of(Path.of("exported.onnx"), proto);
        String output = proto.getGraph().getOutput(0).getName();
        Shape sample = loaded.network().inputShape();
        GraphClassifier ort = new GraphClassifier("onnx", sample, loaded.classNames(),
                org.modelbench.onnx.config.PreprocessingConfig.none(), false, proto, output,
                OrtClassifiers.lazyOrt(file, output), 0, null, null);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        float[] x = new float[8 * sample.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        Tensor batch = Tensor.of(sample.withBatch(8), x);
        Tensor expected = engine.predictProbabilities(batch);
        Tensor actual = ort.predictProbabilities(batch);
        return Parity.relativeError(Value.floats(actual.shape().dims(), actual.data()),
                Value.floats(expected.shape().dims(), expected.data()));
    }

    private static void readWeights(Path file, JsonNode expected, Network net) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage(), e);
        }
        if (expected.has("bytes") && expected.path("bytes").asLong() != bytes.length) {
            throw new DataFormatException(file, bytes.length, "expected " + expected.path("bytes").asLong()
                    + " bytes (truncated or replaced?)");
        }
        if (expected.has("sha256") && !expected.path("sha256").asText().equals(Sha256Hex.sha256Plain(bytes))) {
            throw new DataFormatException(file, -1, "SHA-256 differs from architecture.json (corrupted?)");
        }
        if (bytes.length < 8) {
            throw new DataFormatException(file, 0, "expected a safetensors header");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength < 2 || 8 + headerLength > bytes.length) {
            throw new DataFormatException(file, 0, "safetensors header length " + headerLength + " does not fit the file");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DataFormatException(file, 8, "malformed safetensors header: " + e.getMessage(), e);
        }
        Map<String, Tensor> targets = new LinkedHashMap<>();
        for (Network.Node n : net.nodes()) {
            for (Parameter p : n.layer().parameters()) {
                targets.put(n.name() + "." + p.name(), p.value());
            }
            if (n.layer() instanceof StatefulLayer s) {
                s.state().forEach((k, t) -> targets.put(n.name() + ".state." + k, t));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            Tensor target = targets.remove(e.getKey());
            if (target == null) {
                throw new DataFormatException(file, 8, "tensor '" + e.getKey() + "' matches no layer of the architecture");
            }
            long begin = e.getValue().path("data_offsets").path(0).asLong(-1);
            long end = e.getValue().path("data_offsets").path(1).asLong(-1);
            long start = 8 + headerLength;
            if (!"F32".equals(e.getValue().path("dtype").asText()) || begin < 0 || end - begin != 4L * target.data().length
                    || start + end > bytes.length) {
                throw new DataFormatException(file, start + Math.max(begin, 0), "tensor '" + e.getKey()
                        + "' is not F32 data of " + target.shape() + " inside the file");
            }
            ByteBuffer.wrap(bytes, (int) (start + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(target.data());
        }
        if (!targets.isEmpty()) {
            throw new DataFormatException(file, -1, "missing tensors " + targets.keySet());
        }
    }
}
