package org.modelbench.onnx.internal.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The layer graph of a Keras model config: a functional model ({@code Model} / {@code Functional},
 * with {@code inbound_nodes} as Keras 2 writes them, {@code [[["name", 0, 0, {}], ...]]}, or as
 * Keras 3 does, {@code [{"args": [keras tensors]}]}) or a {@code Sequential} one.
 *
 * @param layers  topologically ordered (inbound layers first)
 * @param input   the input layer's name
 * @param outputs the output layers' names
 */
public record KerasTopology(List<KerasLayer> layers, String input, List<String> outputs) {
    public KerasTopology {
        layers = List.copyOf(layers);
        outputs = List.copyOf(outputs);
    }

    /** Reads a model config ({@code {class_name, config}}); errors name {@code file} and the layer. */
    public static KerasTopology read(Path file, JsonNode modelConfig) {
        String kind = modelConfig.path("class_name").asText("");
        JsonNode config = modelConfig.path("config");
        return switch (kind) {
            case "Model", "Functional" -> functional(file, config);
            case "Sequential" -> sequential(file, config);
            default -> throw KerasModel.bad(file, "modelTopology.model_config.class_name", "'" + kind
                    + "'; expected Model, Functional or Sequential");
        };
    }

    private static KerasTopology functional(Path file, JsonNode config) {
        JsonNode list = config.path("layers");
        if (!list.isArray() || list.isEmpty()) {
            throw KerasModel.bad(file, "model_config.config.layers", "expected a list of layers");
        }
        List<KerasLayer> layers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode l : list) {
            String name = l.path("name").asText(l.path("config").path("name").asText(""));
            String cls = l.path("class_name").asText("");
            if (name.isEmpty() || cls.isEmpty()) {
                throw KerasModel.bad(file, "layer " + layers.size(), "expected a name and a class_name");
            }
            if (!names.add(name)) {
                throw KerasModel.bad(file, "layer " + name, "duplicate layer name");
            }
            layers.add(new KerasLayer(name, cls, l.path("config"), inbound(file, name, l.path("inbound_nodes"))));
        }
        String input = firstName(file, config.path("input_layers"), "input_layers");
        List<String> outputs = new ArrayList<>();
        JsonNode out = config.path("output_layers");
        if (out.isArray() && out.size() > 0 && out.get(0).isTextual()) {
            outputs.add(out.get(0).asText());
        } else if (out.isArray()) {
            out.forEach(o -> outputs.add(o.path(0).asText("")));
        }
        if (outputs.isEmpty() || !names.containsAll(outputs) || !names.contains(input)) {
            throw KerasModel.bad(file, "model_config.config.input_layers/output_layers", "expected names of layers, got "
                    + config.path("input_layers") + " / " + out);
        }
        return new KerasTopology(order(file, layers), input, outputs);
    }

    private static String firstName(Path file, JsonNode io, String field) {
        if (io.isArray() && io.size() > 0) {
            JsonNode first = io.get(0);
            String n = first.isTextual() ? first.asText() : first.path(0).asText("");
            if (!n.isEmpty()) {
                if (!first.isTextual() && io.size() > 1) {
                    throw KerasModel.bad(file, "model_config.config." + field, "models with several inputs are not supported");
                }
                return n;
            }
        }
        throw KerasModel.bad(file, "model_config.config." + field, "expected [[name, 0, 0]], got " + io);
    }

    /** The layer names an {@code inbound_nodes} field reads. */
    private static List<String> inbound(Path file, String layer, JsonNode nodes) {
        List<String> in = new ArrayList<>();
        if (nodes.isMissingNode() || nodes.isNull() || nodes.isEmpty()) {
            return in;
        }
        if (!nodes.isArray()) {
            throw KerasModel.bad(file, "layer " + layer + ".inbound_nodes", "expected a list");
        }
        if (nodes.size() > 1) {
            throw KerasModel.bad(file, "layer " + layer + ".inbound_nodes", "the layer is called " + nodes.size()
                    + " times; shared layers are not supported");
        }
        JsonNode node = nodes.get(0);
        if (node.isArray()) {
            for (JsonNode t : node) {
                in.add(t.path(0).asText(""));
            }
        } else {
            collectKerasTensors(node.path("args"), in);
        }
        if (in.contains("")) {
            throw KerasModel.bad(file, "layer " + layer + ".inbound_nodes", "expected layer names, got " + nodes);
        }
        return in;
    }

    private static void collectKerasTensors(JsonNode n, List<String> in) {
        if (n.isObject() && n.path("class_name").asText().equals("__keras_tensor__")) {
            in.add(n.path("config").path("keras_history").path(0).asText(""));
        } else if (n.isArray()) {
            n.forEach(c -> collectKerasTensors(c, in));
        }
    }

    private static KerasTopology sequential(Path file, JsonNode config) {
        JsonNode list = config.isArray() ? config : config.path("layers");
        if (!list.isArray() || list.isEmpty()) {
            throw KerasModel.bad(file, "model_config.config", "expected the layers of a Sequential model");
        }
        List<KerasLayer> layers = new ArrayList<>();
        String previous = null;
        for (JsonNode l : list) {
            String cls = l.path("class_name").asText("");
            JsonNode c = l.path("config");
            String name = c.path("name").asText(l.path("name").asText(""));
            if (name.isEmpty() || cls.isEmpty()) {
                throw KerasModel.bad(file, "layer " + layers.size(), "expected a name and a class_name");
            }
            if (previous == null && !cls.equals("InputLayer")) {
                JsonNode shape = c.has("batch_input_shape") ? c.get("batch_input_shape") : c.path("batch_shape");
                ObjectNode input = JsonNodeFactory.instance.objectNode();
                input.set("batch_input_shape", shape);
                layers.add(new KerasLayer("input", "InputLayer", input, List.of()));
                previous = "input";
            }
            layers.add(new KerasLayer(name, cls, c, previous == null ? List.of() : List.of(previous)));
            previous = name;
        }
        return new KerasTopology(layers, layers.get(0).name(), List.of(previous));
    }

    /** Orders layers so that each comes after the layers it reads; unknown names are errors. */
    private static List<KerasLayer> order(Path file, List<KerasLayer> layers) {
        java.util.Map<String, KerasLayer> byName = new java.util.LinkedHashMap<>();
        layers.forEach(l -> byName.put(l.name(), l));
        List<KerasLayer> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (KerasLayer l : layers) {
            visit(file, l, byName, done, visiting, out);
        }
        return out;
    }

    private static void visit(Path file, KerasLayer l, java.util.Map<String, KerasLayer> byName, Set<String> done,
                              Set<String> visiting, List<KerasLayer> out) {
        if (done.contains(l.name())) {
            return;
        }
        if (!visiting.add(l.name())) {
            throw KerasModel.bad(file, "layer " + l.name(), "the layers form a cycle");
        }
        for (String i : l.inbound()) {
            KerasLayer from = byName.get(i);
            if (from == null) {
                throw KerasModel.bad(file, "layer " + l.name() + ".inbound_nodes", "no layer named '" + i + "'");
            }
            visit(file, from, byName, done, visiting, out);
        }
        visiting.remove(l.name());
        done.add(l.name());
        out.add(l);
    }
}
