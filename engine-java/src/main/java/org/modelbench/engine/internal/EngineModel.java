package org.modelbench.engine.internal;

import java.nio.file.Path;
import java.util.List;
import org.modelbench.api.InspectableModel;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelSummary;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.NetworkGradients;

/**
 * A classifier backed by a {@link Network}. Outputs that do not end in a softmax are taken as
 * logits and normalised. Predictions, activations and gradients are thread-safe (serialised) and
 * deterministic; layer names are the network's node names.
 */
public final class EngineModel implements InspectableModel {
    private final String familyId;
    private final Network network;
    private final List<String> classNames;
    private final ModelProvenance provenance;

    public EngineModel(String familyId, Network network, List<String> classNames, ModelProvenance provenance) {
        this.familyId = familyId;
        this.network = network;
        this.classNames = List.copyOf(classNames);
        this.provenance = provenance;
    }

    public Network network() {
        return network;
    }

    @Override
    public String familyId() {
        return familyId;
    }

    @Override
    public Shape sampleShape() {
        return network.inputShape();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    private void checkBatch(Tensor batch) {
        if (batch.shape().rank() != sampleShape().rank() + 1 || !batch.shape().withoutBatch().equals(sampleShape())) {
            throw new InvalidInputException("model " + familyId + " takes batches of " + sampleShape() + ", got "
                    + batch.shape());
        }
    }

    private static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public synchronized Tensor lossGradient(Tensor batch, int[] labels) {
        checkBatch(batch);
        return NetworkGradients.lossGradient(network, batch, labels, threads());
    }

    @Override
    public List<String> layerNames() {
        return network.nodes().stream().map(Network.Node::name).toList();
    }

    @Override
    public Shape layerShape(String layer) {
        return network.layer(layer).outputShape();
    }

    @Override
    public String layerType(String layer) {
        return network.layer(layer).type();
    }

    @Override
    public synchronized Tensor activations(Tensor batch, String layer) {
        checkBatch(batch);
        return NetworkGradients.activations(network, batch, layer, threads());
    }

    @Override
    public synchronized LayerGradient classScoreGradient(Tensor batch, String layer, int[] classes) {
        checkBatch(batch);
        network.layer(layer);
        return NetworkGradients.classScoreGradient(network, batch, layer, classes, threads());
    }

    @Override
    public synchronized Tensor predictProbabilities(Tensor batch) {
        checkBatch(batch);
        int threads = threads();
        Tensor out = network.predict(batch, threads);
        boolean softmax = network.nodes().get(network.nodes().size() - 1).layer() instanceof SoftmaxOutput s
                && s.endsInSoftmax();
        if (!softmax) {
            int k = classNames.size();
            for (int i = 0; i < batch.batchSize(); i++) {
                Activations.softmax(out.data(), i * k, k);
            }
        }
        return out.reshape(Shape.of(batch.batchSize(), classNames.size()));
    }

    @Override
    public long parameterCount() {
        return network.parameterCount();
    }

    @Override
    public ModelSummary summary() {
        return new ModelSummary(familyId, network.summary().rows());
    }

    @Override
    public ModelProvenance provenance() {
        return provenance;
    }

    @Override
    public void save(Path directory) {
        ModelFiles.save(this, directory);
    }
}
