package org.modelbench.onnx.internal.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.modelbench.api.InvalidInputException;

/**
 * A Keras model as read from one of its file formats: the layer graph of its Keras config and its
 * weights, dequantized to float32, by {@code <layer>/<field>} name (e.g. {@code Conv1/kernel}). The
 * formats hold the same Keras layer configs, so one converter ({@link KerasToOnnx}) maps them all:
 * <ul>
 *   <li>the TensorFlow.js layers format ({@code model.json} + weight shards; {@link TfjsFormat}),</li>
 *   <li>a Keras 3 {@code .keras} file (a zip of {@code config.json} and {@code model.weights.h5};
 *       {@link KerasArchive}),</li>
 *   <li>a legacy Keras {@code .h5} file ({@code model_config} attribute and {@code model_weights}
 *       group; {@link LegacyH5}).</li>
 * </ul>
 * The format is recognised by content (zip or HDF5 signature) and otherwise by the {@code .json}
 * extension.
 *
 * @param file    the file read
 * @param name    the model's name
 * @param layers  the layers in topological order
 * @param input   the name of the input layer
 * @param inputShape its {@code batch_input_shape} (or {@code batch_shape}) without the batch, e.g. {@code [224, 224, 3]}
 * @param outputs the names of the output layers
 * @param weights every weight by name
 */
public record KerasModel(Path file, String name, List<KerasLayer> layers, String input, int[] inputShape,
                         List<String> outputs, Map<String, KerasWeight> weights) {
    /** The largest weight (values) accepted, below Java's array limit. */
    static final long MAX_WEIGHT_VALUES = Integer.MAX_VALUE - 16;

    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    public KerasModel {
        layers = List.copyOf(layers);
        outputs = List.copyOf(outputs);
        weights = Map.copyOf(weights);
        inputShape = inputShape.clone();
    }

    /** The formats, as recognised by {@link #formatOf}. */
    public enum Format { TFJS, KERAS3, LEGACY_H5 }

    /** Whether {@code file} is a Keras model in one of the formats (else it is taken for ONNX). */
    public static boolean isKeras(Path file) {
        return formatOf(file) != null;
    }

    /** The format of {@code file}: zip or HDF5 by signature, TF.js by the {@code .json} extension, or null. */
    public static Format formatOf(Path file) {
        byte[] head = new byte[8];
        int n = 0;
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            } catch (IOException e) {
                throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
            }
        }
        if (n >= 4 && Arrays.equals(Arrays.copyOf(head, 4), ZIP)) {
            return Format.KERAS3;
        }
        if (n == 8 && Arrays.equals(head, HDF5)) {
            return Format.LEGACY_H5;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return Format.TFJS;
        }
        if (name.endsWith(".keras") || name.endsWith(".h5") || name.endsWith(".hdf5")) {
            throw new InvalidInputException(file + ": not a " + (name.endsWith(".keras") ? "zip (.keras)" : "HDF5")
                    + " file (signature missing)");
        }
        return null;
    }

    /** Reads {@code file} in its format (see {@link #formatOf}). */
    public static KerasModel read(Path file) {
        Format format = formatOf(file);
        if (format == null) {
            throw new InvalidInputException(file + ": not a Keras model (expected model.json, .keras or .h5)");
        }
        return switch (format) {
            case TFJS -> TfjsFormat.read(file);
            case KERAS3 -> KerasArchive.read(file);
            case LEGACY_H5 -> LegacyH5.read(file);
        };
    }

    /** A model from {@code modelConfig} ({@code {class_name, config}}) and its weights. */
    static KerasModel of(Path file, JsonNode modelConfig, Map<String, KerasWeight> weights) {
        KerasTopology graph = KerasTopology.read(file, modelConfig);
        KerasLayer inputLayer = graph.layers().stream().filter(l -> l.name().equals(graph.input())).findFirst()
                .orElseThrow();
        int[] shape = inputShape(file, inputLayer);
        String name = modelConfig.path("config").path("name").asText("model");
        return new KerasModel(file, name, graph.layers(), graph.input(), shape, graph.outputs(), weights);
    }

    private static int[] inputShape(Path file, KerasLayer input) {
        JsonNode s = input.config().path("batch_input_shape");
        if (!s.isArray()) {
            s = input.config().path("batch_shape");
        }
        if (!s.isArray() || s.size() != 4) {
            throw bad(file, "layer " + input.name() + ".batch_input_shape", "expected [null, height, width, channels], got "
                    + s);
        }
        int[] shape = new int[3];
        for (int i = 0; i < 3; i++) {
            JsonNode d = s.get(i + 1);
            if (!d.canConvertToInt() || d.asInt() < 1 || d.asInt() > 1 << 16) {
                throw bad(file, "layer " + input.name() + ".batch_input_shape", "expected fixed sizes in [1, 65536], got "
                        + s);
            }
            shape[i] = d.asInt();
        }
        return shape;
    }

    static InvalidInputException bad(Path file, String field, String message) {
        return new InvalidInputException(file + ": " + field + ": " + message);
    }
}
