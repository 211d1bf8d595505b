package org.modelbench.tribuo.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Model;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.provenance.ModelProvenance;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.EnsembleModel;

/**
 * A trained Tribuo classifier seen as a platform {@link Model}.
 *
 * <p>Probabilities are Tribuo's output scores mapped back to the platform's class order by class
 * name: voting proportions for forests, leaf class proportions for a tree, the softmax for logistic
 * regression. A class that was absent from the training rows gets probability 0. Forests predict
 * through {@link FlatForest}; other models convert rows and predict in chunks of {@value #CHUNK} so
 * that a large batch never holds all its Tribuo examples at once. Prediction keeps no state of its own.
 */
public final class TribuoClassifier implements Model {
    private static final int CHUNK = 1024;

    private final String familyId;
    private final List<String> classNames;
    private final Map<String, Integer> classIndex = new HashMap<>();
    private final ImageExamples examples;
    private final org.tribuo.Model<Label> model;
    private final ModelProvenance provenance;
    private final long parameterCount;
    private final java.util.Optional<FlatForest> forest;

    TribuoClassifier(String familyId, List<String> classNames, ImageExamples examples, org.tribuo.Model<Label> model,
                     ModelProvenance provenance) {
        this.familyId = familyId;
        this.classNames = List.copyOf(classNames);
        for (int c = 0; c < this.classNames.size(); c++) {
            classIndex.put(this.classNames.get(c), c);
        }
        this.examples = examples;
        this.model = model;
        this.provenance = provenance;
        this.parameterCount = countParameters(model);
        this.forest = FlatForest.of(model, examples::elementOf, name -> classIndex.getOrDefault(name, -1));
    }

    /** Tree nodes for trees and forests; weights and biases for linear models. */
    private static long countParameters(org.tribuo.Model<Label> model) {
        if (model instanceof TreeModel<Label> tree) {
            return tree.countNodes(tree.getRoot());
        }
        if (model instanceof EnsembleModel<Label> ensemble) {
            long sum = 0;
            for (org.tribuo.Model<Label> member : ensemble.getModels()) {
                sum += countParameters(member);
            }
            return sum;
        }
        return (long) (model.getFeatureIDMap().size() + 1) * model.getOutputIDInfo().size();
    }

    /** The wrapped Tribuo model (stays inside this module). */
    org.tribuo.Model<Label> tribuoModel() {
        return model;
    }

    ImageExamples examples() {
        return examples;
    }

    @Override
    public String familyId() {
        return familyId;
    }

    @Override
    public Shape sampleShape() {
        return examples.sampleShape();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Forests go through {@link FlatForest} (multi-threaded, straight from the floats); other models
     * through {@link #predictWithTribuo}. Both give the same numbers for a forest.
     */
    @Override
    public Tensor predictProbabilities(Tensor batch) {
        if (forest.isEmpty()) {
            return predictWithTribuo(batch);
        }
        examples.requireShape(batch, "batch");
        int n = batch.shape().dim(0);
        examples.requireNoNaN(batch, "batch", 0, n);
        return Tensor.of(Shape.of(n, classNames.size()),
                forest.get().predict(batch.data(), n, examples.featureCount(), classNames.size()));
    }

    /** Tribuo's own prediction: rows as Tribuo examples, {@code Model.predict}, scores mapped to class order. */
    Tensor predictWithTribuo(Tensor batch) {
        examples.requireShape(batch, "batch");
        int n = batch.shape().dim(0);
        int k = classNames.size();
        float[] out = new float[n * k];
        double[] row = new double[k];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            List<Prediction<Label>> predictions = model.predict(examples.unlabelled(batch, from, to));
            for (int i = 0; i < predictions.size(); i++) {
                toClassOrder(predictions.get(i), row);
                for (int c = 0; c < k; c++) {
                    out[(from + i) * k + c] = (float) row[c];
                }
            }
        }
        return Tensor.of(Shape.of(n, k), out);
    }

    /** Writes the prediction's scores into {@code row} in class order, normalised to sum to 1. */
    private void toClassOrder(Prediction<Label> prediction, double[] row) {
        java.util.Arrays.fill(row, 0.0);
        double sum = 0;
        for (Map.Entry<String, Label> e : prediction.getOutputScores().entrySet()) {
            Integer c = classIndex.get(e.getKey());
            double score = e.getValue().getScore();
            if (c != null && score > 0) {
                row[c] = score;
                sum += score;
            }
        }
        if (sum > 0) {
            for (int c = 0; c < row.length; c++) {
                row[c] /= sum;
            }
        } else {
            Integer c = classIndex.get(prediction.getOutput().getLabel());
            if (c != null) {
                row[c] = 1.0;
            }
        }
    }

    @Override
    public long parameterCount() {
        return parameterCount;
    }

    @Override
    public ModelProvenance provenance() {
        return provenance;
    }

    @Override
    public void save(Path directory) {
        SavedTribuoModel.save(directory, this);
    }

    @Override
    public String toString() {
        return familyId + " (" + model.getClass().getSimpleName() + ", " + parameterCount + " parameters)";
    }
}
