package org.modelbench.api.spi;

import java.nio.file.Path;
import java.util.Optional;
import org.modelbench.api.DataShape;
import org.modelbench.api.Model;
import org.modelbench.api.Shape;
import org.modelbench.api.Trainer;

/**
 * A family of models (logistic regression, a CNN, a random forest ...) behind one id.
 *
 * <p>Manifests name the family by {@link #id()} and give {@code params}, which bind to
 * {@link #configType()}: a public record whose compact constructor fills defaults for missing
 * ({@code null}) components and throws {@link org.modelbench.api.ConfigException} naming the key
 * for bad values. The same record is recorded in provenance.
 *
 * <p>Every method that does work gets a {@link ProviderContext}: the catalogue of every provider the
 * platform loaded (e.g. to build a plugin's layer type named in the config or in a saved model).
 * A provider keeps no state between calls; it never looks providers up by itself.
 *
 * @param <C> the typed configuration
 */
public interface ModelFamilyProvider<C extends Record> extends Provider {

    /** The configuration record that manifests bind to. */
    Class<C> configType();

    /**
     * A reusable trainer for {@code config}. Checks that need no data may fail here already.
     *
     * @throws org.modelbench.api.ConfigException naming the offending key and what was expected
     */
    Trainer trainer(C config, ProviderContext context);

    /**
     * Reads a model this family saved with {@link Model#save}.
     *
     * @throws org.modelbench.api.DataFormatException for a truncated, corrupted or too-new file, or
     *                                                 one that names a layer type {@code context} lacks
     */
    Model load(Path directory, ProviderContext context);

    /**
     * Checks {@code config} against the data before anything runs, cheaply (no training, no
     * parameters allocated): for example that every layer fits its input, that the last one gives
     * {@code data.numClasses()} outputs, or that {@code k <= data.trainRows()}. The default checks
     * nothing.
     *
     * @throws org.modelbench.api.ConfigException     naming the offending key and what was expected
     * @throws org.modelbench.api.InvalidInputException saying what does not fit
     */
    default void check(C config, DataShape data, ProviderContext context) {
    }

    /**
     * The untrained model for {@code config} on inputs of {@code sampleShape} with
     * {@code numClasses} classes, for summaries and parameter counts; empty for families whose
     * structure depends on the data (trees).
     */
    default Optional<Model> initialModel(C config, Shape sampleShape, int numClasses, long seed,
                                         ProviderContext context) {
        return Optional.empty();
    }
}
