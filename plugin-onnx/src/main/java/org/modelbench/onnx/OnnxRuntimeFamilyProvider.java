package org.modelbench.onnx;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.modelbench.api.DataShape;
import org.modelbench.api.Model;
import org.modelbench.api.Shape;
import org.modelbench.api.Trainer;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.onnx.config.OnnxConfig;
import org.modelbench.onnx.internal.BaseModelFiles;
import org.modelbench.onnx.internal.OrtClassifiers;

/**
 * {@code onnx}: a classifier ONNX file run frozen by ONNX Runtime (CPU), optionally cut at a named
 * node, with the manifest's preprocessing. "Training" checks that the model fits the data and
 * returns it unchanged. Cheap to construct: ONNX Runtime loads on first use.
 */
public final class OnnxRuntimeFamilyProvider implements ModelFamilyProvider<OnnxConfig> {

    @Override
    public String id() {
        return OrtClassifiers.FAMILY;
    }

    @Override
    public String description() {
        return "a frozen ONNX classifier run by ONNX Runtime (CPU), cut and preprocessed as the manifest says";
    }

    @Override
    public Class<OnnxConfig> configType() {
        return OnnxConfig.class;
    }

    @Override
    public Trainer trainer(OnnxConfig config, ProviderContext providers) {
        return (train, validation, context) -> OrtClassifiers.create(config, train.sampleShape(), train.classNames(),
                context.seed(), context.threads(), version());
    }

    /** The model file is checked to be ONNX (top-level fields only, nothing loaded). */
    @Override
    public void check(OnnxConfig config, DataShape data, ProviderContext context) {
        BaseModelFiles.check(config.file());
    }

    @Override
    public Model load(Path directory, ProviderContext context) {
        return OrtClassifiers.load(directory, version());
    }

    @Override
    public Optional<Model> initialModel(OnnxConfig config, Shape sampleShape, int numClasses, long seed,
                                        ProviderContext context) {
        List<String> names = IntStream.range(0, numClasses).mapToObj(String::valueOf).toList();
        return Optional.of(OrtClassifiers.create(config, sampleShape, names, seed, 1, version()));
    }
}
