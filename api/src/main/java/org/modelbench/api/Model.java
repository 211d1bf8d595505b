package org.modelbench.api;

import java.nio.file.Path;
import java.util.List;
import org.modelbench.api.provenance.ModelProvenance;

/**
 * A trained (or freshly initialised) classifier.
 *
 * <p>Predictions are deterministic: the same model and input give bit-identical output.
 * Implementations are not required to be thread-safe for concurrent {@link #predictProbabilities}
 * calls unless they say so.
 */
public interface Model {

    /** The id of the model family that made this model, e.g. {@code java-cnn}. */
    String familyId();

    /** The shape of one input sample (CHW for images), without the batch dimension. */
    Shape sampleShape();

    /** Class names, index = class. */
    List<String> classNames();

    /**
     * Class probabilities for a batch.
     *
     * @param batch shape {@code [N, ...sampleShape()]}
     * @return shape {@code [N, classNames().size()]}, each row summing to 1
     * @throws InvalidInputException if the batch does not match {@link #sampleShape()}
     */
    Tensor predictProbabilities(Tensor batch);

    /** The most probable class of each row (ties go to the lowest index). */
    default int[] predict(Tensor batch) {
        return predictProbabilities(batch).argmaxRows();
    }

    /** Number of learned parameters (for tree ensembles: the number of nodes). */
    long parameterCount();

    /**
     * How many rows this model's predictions so far took from a cache of intermediate features instead of
     * computing them through every layer (a transfer model's frozen base reads the features of rows it has
     * already computed, with the same bits). A caller timing inference compares it before and after a pass: a
     * pass that read any row timed cache lookups, not the model. The default, for a model without such a cache,
     * is 0.
     */
    default long rowsFromCache() {
        return 0;
    }

    /** A Keras-style summary; the default has one row for the whole model. */
    default ModelSummary summary() {
        return new ModelSummary(familyId(), List.of(new ModelSummary.Row("model", familyId(),
                Shape.of(classNames().size()), parameterCount(), true)));
    }

    /** Where this model came from: family, configuration, seed and backend details. */
    ModelProvenance provenance();

    /**
     * Writes this model into {@code directory} (created if missing) in a documented format that
     * never executes code when read, including a header from {@link SavedModelHeader}. Files are
     * written atomically. {@link org.modelbench.api.spi.ModelFamilyProvider#load} reads it back to a
     * model whose predictions are bit-identical.
     *
     * <p>The bytes are deterministic: the same model (or one loaded from its files) always writes
     * byte-identical files: no timestamps, host names, random ids or hash-map iteration order.
     * {@code modelbench reproduce} compares the checksums of saved models, so it relies on this.
     */
    void save(Path directory);
}
