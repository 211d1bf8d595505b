package org.modelbench.onnx.internal;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.ModelSummary;
import org.modelbench.api.Shape;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.onnx.config.OnnxConfig;

/** Builds and reloads the {@code onnx} family's frozen ONNX Runtime classifiers. */
public final class OrtClassifiers {
    public static final String FAMILY = "onnx";

    private OrtClassifiers() {
    }

    /** Closes the native sessions of runners that are no longer reachable (models have no close). */
    private static final Cleaner SESSIONS = Cleaner.create();

    /**
     * A runner that opens its ONNX Runtime session on first use and keeps it while the runner is
     * reachable; the session's native memory is released when the runner (its model) is collected,
     * so the trials of a long run do not pile up sessions.
     */
    static Function<Value, Value> lazyOrt(OnnxModelFile model, String output) {
        Session session = new Session(model);
        Function<Value, Value> runner = fed -> session.run(fed, output);
        SESSIONS.register(runner, session);
        return runner;
    }

    /** The session of a lazy runner; closing it is the cleaning action (it must not refer to the runner). */
    private static final class Session implements Runnable {
        private final OnnxModelFile model;
        private OrtRunner runner;

        Session(OnnxModelFile model) {
            this.model = model;
        }

        synchronized Value run(Value fed, String output) {
            if (runner == null) {
                runner = new OrtRunner(model, Runtime.getRuntime().availableProcessors());
            }
            return runner.run(Map.of(runner.inputNames().get(0), fed), List.of(output)).get(output);
        }

        @Override
        public synchronized void run() {
            if (runner != null) {
                runner.close();
                runner = null;
            }
        }
    }

    /** The frozen classifier for {@code config} on samples of {@code sampleShape} with the given classes. */
    public static Model create(OnnxConfig config, Shape sampleShape, List<String> classNames, long seed, int threads,
                               String version) {
        OnnxModelFile model = BaseModelFiles.load(BaseModelFiles.resolve(config.file()));
        String output = config.cutAt() == null ? model.graph().getOutput(0).getName() : model.resolveCut(config.cutAt());
        OnnxModelFile cut = config.cutAt() == null ? model : model.cutAt(output);
        Shape chw = Preprocessing.outputShape(config.preprocessing(), sampleShape);
        Preprocessing.checkAgainstModel(cut, chw, config.preprocessing().nhwc(), "preprocessing");
        Map<String, String> details = new LinkedHashMap<>();
        details.put("backend", "onnxruntime " + OrtRunner.version() + " (CPU)");
        details.put("file", config.file());
        details.put("fileSha256", Sha256Hex.sha256(model.proto().toByteArray()));
        details.put("output", output);
        details.put("trainable", "none (frozen)");
        ModelProvenance provenance = new ModelProvenance(FAMILY, version, config, seed, threads, details);
        return build(cut, output, config, sampleShape, classNames, provenance);
    }

    static Model build(OnnxModelFile cut, String output, OnnxConfig config, Shape sampleShape, List<String> classNames,
                       ModelProvenance provenance) {
        long params = cut.parameterCount();
        ModelSummary summary = new ModelSummary(FAMILY, List.of(new ModelSummary.Row(
                cut.path().getFileName().toString(), "onnx (onnxruntime)", Shape.of(classNames.size()), params, false)));
        Model m = new GraphClassifier(FAMILY, sampleShape, classNames, config.preprocessing(),
                config.preprocessing().nhwc(), cut.proto(), output, lazyOrt(cut, output), params, summary, provenance);
        // Fail now, naming the file, if the output does not have one value per class.
        m.predictProbabilities(org.modelbench.api.Tensor.zeros(sampleShape.withBatch(1)));
        return m;
    }

    /** Reloads a saved {@code onnx} model. */
    public static Model load(Path directory, String version) {
        ModelDirectory saved = ModelDirectory.read(directory, FAMILY);
        OnnxConfig config = saved.config(OnnxConfig.class, directory);
        OnnxModelFile cut = OnnxModelFile.of(directory.resolve("model.onnx"), saved.onnx());
        String output = cut.graph().getOutput(0).getName();
        if (saved.classNames().isEmpty()) {
            throw new InvalidInputException(directory + ": no class names");
        }
        return build(cut, output, config, saved.sampleShape(), saved.classNames(), new ModelProvenance(FAMILY, version,
                config, saved.seed(), saved.threads(), saved.details()));
    }
}
