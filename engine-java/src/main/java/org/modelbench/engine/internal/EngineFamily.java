package org.modelbench.engine.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.modelbench.api.ConfigException;
import org.modelbench.api.DataShape;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Trainer;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.engine.config.FamilyConfig;
import org.modelbench.engine.graph.AlgorithmRevision;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.NetworkTrainer;
import org.modelbench.engine.graph.TrainingHistory;
import org.modelbench.engine.kernels.Sgemm;

/**
 * A model family of the engine: a sequential list of layer specs derived from the config, the
 * sample shape and the class count, trained with the config's {@link FamilyConfig#training()}.
 * Initial weights derive from {@code derivedSeed("init")}.
 */
abstract class EngineFamily<C extends Record & FamilyConfig> implements ModelFamilyProvider<C> {
    private final String id;
    private final Class<C> configType;
    private final String description;

    EngineFamily(String id, Class<C> configType, String description) {
        this.id = id;
        this.configType = configType;
        this.description = description;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Class<C> configType() {
        return configType;
    }

    /** The layer specs (maps with {@code type}) for {@code sampleShape} inputs and {@code numClasses} outputs. */
    abstract List<Map<String, Object>> layers(C config, Shape sampleShape, int numClasses);

    /**
     * The sample rank this family's fixed architecture needs: 3 for images {@code [C, H, W]}, 2 for
     * sequences {@code [C, L]}, or 0 when any shape may fit (the layers decide).
     */
    int sampleRank() {
        return 0;
    }

    /** What samples of {@code shape} look like, for messages: {@code 4 (a table row of 4 features)}. */
    static String describeSamples(Shape shape) {
        return switch (shape.rank()) {
            case 1 -> shape + " (a table row of " + shape.dim(0) + " features)";
            case 2 -> shape + " (a sequence: channels x length)";
            case 3 -> shape + " (an image: channels x height x width)";
            default -> shape.toString();
        };
    }

    /** The network of {@code config}, with every shape checked; layer types come from {@code layers}. */
    Network network(C config, Shape sampleShape, int numClasses, long seed, ProviderCatalogue layers) {
        return addLayers(Network.builder(id, sampleShape, seed, layers), config, sampleShape, numClasses).build();
    }

    /**
     * Every layer fits its input, the last gives one output per class, and the parameters fit the
     * run's memory budget ({@code --max-memory}, by default the JVM's maximum heap): shapes and
     * counts only, nothing allocated.
     */
    @Override
    public void check(C config, DataShape data, ProviderContext context) {
        long floats = addLayers(Network.shapeChecker(id, data.sampleShape(), context.catalogue()), config,
                data.sampleShape(), data.numClasses()).storedFloats();
        requireFitsMemory(id, floats, context.memoryBudgetBytes());
    }

    /** Floats held per parameter while training: the value, its gradient and up to two optimiser moments. */
    static final int FLOATS_PER_PARAMETER = 4;

    /**
     * Throws unless {@code parameters} floats, with their gradients and optimiser state, fit in
     * {@code budgetBytes}.
     */
    static void requireFitsMemory(String id, long parameters, long budgetBytes) {
        long bytes = parameters > Long.MAX_VALUE / (4L * FLOATS_PER_PARAMETER) ? Long.MAX_VALUE
                : parameters * 4L * FLOATS_PER_PARAMETER;
        if (bytes > budgetBytes) {
            throw new org.modelbench.api.InvalidInputException("model " + id + " has " + parameters
                    + " parameters, which need about " + (bytes >> 20) + " MiB with their gradients and optimiser"
                    + " state, more than the memory budget of " + (budgetBytes >> 20) + " MiB (--max-memory, by default"
                    + " the JVM's maximum heap)");
        }
    }

    private Network.Builder addLayers(Network.Builder builder, C config, Shape sampleShape, int numClasses) {
        int rank = sampleRank();
        if (rank != 0 && sampleShape.rank() != rank) {
            throw new InvalidInputException("model " + id + " needs "
                    + (rank == 3 ? "image samples [channels, height, width]" : "sequence samples [channels, length]")
                    + ", but the data's samples are " + describeSamples(sampleShape)
                    + (sampleShape.rank() == 1 ? "; for tables use logreg, mlp or a tribuo family" : ""));
        }
        List<Map<String, Object>> specs = layers(config, sampleShape, numClasses);
        for (int i = 0; i < specs.size(); i++) {
            try {
                // the first layer reads the data: say what the data's samples are, unless images
                builder.add(specs.get(i), "layers[" + i + "]");
            } catch (InvalidInputException e) {
                if (i > 0 || sampleShape.rank() == 3 || e instanceof ConfigException) {
                    throw e;
                }
                throw new InvalidInputException(e.getMessage() + " (the data's samples are "
                        + describeSamples(sampleShape) + ")", e);
            }
        }
        if (!builder.outputShape().equals(Shape.of(numClasses))) {
            throw new InvalidInputException("model " + id + ": the last layer outputs "
                    + builder.outputShape() + " values per sample, but the data has " + numClasses + " classes");
        }
        return builder;
    }

    @Override
    public Trainer trainer(C config, ProviderContext providers) {
        ProviderCatalogue layers = providers.catalogue();
        return new Trainer() {
            @Override
            public Model train(Dataset train, Optional<Dataset> validation, RunContext context) {
                return trainNetwork(config, train, validation, context, layers);
            }

            /** {@link NetworkTrainer} augments every batch of every epoch. */
            @Override
            public boolean appliesAugmentation() {
                return true;
            }
        };
    }

    private Model trainNetwork(C config, Dataset train, Optional<Dataset> validation, RunContext context,
                               ProviderCatalogue layers) {
        Network net = network(config, train.sampleShape(), train.numClasses(), context.derivedSeed("init"), layers);
        TrainingHistory history = new NetworkTrainer(config.training()).fit(net, train, validation, context);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("engine", "modelbench engine-java");
        details.put("epochsRun", String.valueOf(history.epochs().size()));
        details.put("stopReason", history.reason());
        details.put("bestEpoch", String.valueOf(history.bestEpoch()));
        details.put("trainSamples", String.valueOf(train.size()));
        // the kernel the bits of every product came from (the Java kernels, or OpenBLAS and its core)
        details.put("sgemm", Sgemm.provenance());
        details.put(AlgorithmRevision.DETAIL, AlgorithmRevision.provenance());
        return new EngineModel(id, net, train.classNames(), provenance(config, context.seed(), context.threads(),
                details));
    }

    private ModelProvenance provenance(C config, long seed, int threads, Map<String, String> details) {
        return new ModelProvenance(id, version(), config, seed, threads, details);
    }

    @Override
    public Model load(Path directory, ProviderContext context) {
        return ModelFiles.load(directory, id, configType, context.catalogue());
    }

    @Override
    public Optional<Model> initialModel(C config, Shape sampleShape, int numClasses, long seed,
                                        ProviderContext context) {
        Network net = network(config, sampleShape, numClasses, seed, context.catalogue());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            names.add(String.valueOf(i));
        }
        return Optional.of(new EngineModel(id, net, names, provenance(config, seed, 1, Map.of("trained", "false"))));
    }

    /** A layer spec map: {@code spec("dense", "units", 10)}. */
    static Map<String, Object> spec(String type, Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

}
