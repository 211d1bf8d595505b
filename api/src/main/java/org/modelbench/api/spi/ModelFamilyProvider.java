package org.modelbench.api.spi;

import java.nio.file.Path;
import java.util.Optional;
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
 * @param <C> the typed configuration
 */
public interface ModelFamilyProvider<C extends Record> extends Provider {

    /** The configuration record that manifests bind to. */
    Class<C> configType();

    /** A reusable trainer for {@code config}. */
    Trainer trainer(C config);

    /**
     * Reads a model this family saved with {@link Model#save}.
     *
     * @throws org.modelbench.api.DataFormatException for a truncated, corrupted or too-new file
     */
    Model load(Path directory);

    /**
     * Checks {@code config} against the data before anything runs, cheaply (no training, no
     * parameters allocated): for example that every layer fits its input and the last one gives
     * {@code numClasses} outputs. The default checks nothing.
     *
     * @throws org.modelbench.api.ConfigException     naming the offending key and what was expected
     * @throws org.modelbench.api.InvalidInputException saying what does not fit
     */
    default void check(C config, Shape sampleShape, int numClasses) {
    }

    /**
     * The untrained model for {@code config} on inputs of {@code sampleShape} with
     * {@code numClasses} classes, for summaries and parameter counts; empty for families whose
     * structure depends on the data (trees).
     */
    default Optional<Model> initialModel(C config, Shape sampleShape, int numClasses, long seed) {
        return Optional.empty();
    }
}
