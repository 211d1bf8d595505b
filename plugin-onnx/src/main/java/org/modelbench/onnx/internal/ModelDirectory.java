package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.SavedModelHeader;
import org.modelbench.api.Shape;

/**
 * The saved form of the ONNX families' models: {@value SavedModelHeader#FILE_NAME}, {@code model.onnx}
 * (the whole network, weights as trained) and {@code model.json} (the family config as a tree, the
 * class names, the sample shape, the seed, the threads and the provenance details). Nothing in it
 * executes code when read.
 *
 * @param config      the family config as a tree
 * @param classNames  class names
 * @param sampleShape the raw sample shape (before preprocessing)
 * @param seed        the run seed
 * @param threads     the run's threads
 * @param details     provenance details ({@link #RUN_DEPENDENT_DETAILS} are not written: a rerun of the
 *                    same trial writes the same bytes)
 * @param onnx        the model
 */
public record ModelDirectory(Map<String, Object> config, List<String> classNames, Shape sampleShape, long seed,
                             int threads, Map<String, String> details, ModelProto onnx) {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Provenance details that describe how this run went rather than the model (timings, what a cache
     * held): kept in the trial's provenance, left out of the saved model.
     */
    public static final java.util.Set<String> RUN_DEPENDENT_DETAILS = java.util.Set.of("featureSeconds",
            "featureCache", "fineTuneFeatureCache", "featureRowsComputed");

    /** Writes the directory (files atomically). */
    public void write(Path directory, String familyId) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("config", config);
        meta.put("classNames", classNames);
        meta.put("sampleShape", java.util.Arrays.stream(sampleShape.dims()).boxed().toList());
        meta.put("seed", seed);
        meta.put("threads", threads);
        Map<String, String> saved = new LinkedHashMap<>(details);
        saved.keySet().removeAll(RUN_DEPENDENT_DETAILS);
        meta.put("details", saved);
        try {
            AtomicFiles.write(directory.resolve("model.onnx"), onnx.toByteArray());
            AtomicFiles.write(directory.resolve("model.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
        } catch (IOException e) {
            throw new org.modelbench.api.ModelbenchException("cannot write " + directory + ": " + e.getMessage(), e);
        }
        new SavedModelHeader(familyId, FORMAT_VERSION).write(directory);
    }

    /** Reads a directory written by {@link #write} for {@code familyId}. */
    @SuppressWarnings("unchecked")
    public static ModelDirectory read(Path directory, String familyId) {
        SavedModelHeader.read(directory).require(directory, familyId, FORMAT_VERSION);
        Path json = SavedModelHeader.file(directory, "model.json");
        Map<String, Object> meta;
        try {
            meta = JSON.readValue(Files.readAllBytes(json), Map.class);
        } catch (IOException e) {
            throw new DataFormatException(json, -1, "expected the model's JSON metadata: " + e.getMessage(), e);
        }
        try {
            List<Integer> dims = (List<Integer>) meta.get("sampleShape");
            Path onnx = SavedModelHeader.file(directory, "model.onnx");
            if (!Files.isRegularFile(onnx)) {
                throw new DataFormatException(onnx, -1, "missing: a saved ONNX model folder holds its model.onnx");
            }
            OnnxModelFile model = OnnxModelFile.load(onnx);
            return new ModelDirectory((Map<String, Object>) meta.get("config"), (List<String>) meta.get("classNames"),
                    Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()),
                    ((Number) meta.get("seed")).longValue(), ((Number) meta.get("threads")).intValue(),
                    (Map<String, String>) meta.get("details"), model.proto());
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new DataFormatException(json, -1, "expected keys config, classNames, sampleShape, seed, threads, details");
        }
    }

    /** The config bound back to its record type. */
    public <R extends Record> R config(Class<R> type, Path directory) {
        return RecordBinder.bind(config, type, directory.resolve("model.json") + ": config");
    }
}
