package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.ModelSummary;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.onnx.config.PreprocessingConfig;

/**
 * A classifier over an ONNX model: preprocess, run (natively or with ONNX Runtime), turn the
 * output into probabilities (as is after a final Softmax node, else through a softmax).
 */
public final class GraphClassifier implements Model {
    private final String familyId;
    private final Shape sampleShape;
    private final List<String> classNames;
    private final PreprocessingConfig preprocessing;
    private final boolean feedNhwc;
    private final ModelProto onnx;
    private final String output;
    private final boolean endsInSoftmax;
    private final Function<Value, Value> runner;
    private final long parameterCount;
    private final ModelSummary summary;
    private final ModelProvenance provenance;

    /**
     * @param feedNhwc whether the ONNX model's input is NHWC (the preprocessed NCHW batch is transposed)
     * @param output   the value that holds the class scores
     * @param runner   computes {@code output} for a fed input value
     */
    public GraphClassifier(String familyId, Shape sampleShape, List<String> classNames, PreprocessingConfig preprocessing,
                           boolean feedNhwc, ModelProto onnx, String output, Function<Value, Value> runner,
                           long parameterCount, ModelSummary summary, ModelProvenance provenance) {
        this.familyId = familyId;
        this.sampleShape = sampleShape;
        this.classNames = List.copyOf(classNames);
        this.preprocessing = preprocessing;
        this.feedNhwc = feedNhwc;
        this.onnx = onnx;
        this.output = output;
        this.endsInSoftmax = onnx.getGraph().getNodeList().stream().anyMatch(n -> n.getOutputList().contains(output)
                && n.getOpType().equals("Softmax")) || producerChainEndsInSoftmax(onnx, output);
        this.runner = runner;
        this.parameterCount = parameterCount;
        this.summary = summary;
        this.provenance = provenance;
    }

    /** Follows Identity nodes back from {@code value} to see whether a Softmax produced it. */
    private static boolean producerChainEndsInSoftmax(ModelProto onnx, String value) {
        String v = value;
        for (int guard = 0; guard < 16; guard++) {
            String current = v;
            var producer = onnx.getGraph().getNodeList().stream().filter(n -> n.getOutputList().contains(current))
                    .findFirst();
            if (producer.isEmpty()) {
                return false;
            }
            if (producer.get().getOpType().equals("Softmax")) {
                return true;
            }
            if (!producer.get().getOpType().equals("Identity")) {
                return false;
            }
            v = producer.get().getInput(0);
        }
        return false;
    }

    public ModelProto onnx() {
        return onnx;
    }

    @Override
    public String familyId() {
        return familyId;
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public synchronized Tensor predictProbabilities(Tensor batch) {
        if (!batch.shape().withoutBatch().equals(sampleShape)) {
            throw new InvalidInputException("model " + familyId + " takes batches of " + sampleShape + ", got "
                    + batch.shape());
        }
        Tensor x = Preprocessing.apply(preprocessing, batch);
        Value fed = feedNhwc ? Preprocessing.toNhwc(x) : Value.floats(x.shape().dims(), x.data());
        Value out = runner.apply(fed);
        int n = batch.batchSize();
        int k = classNames.size();
        if (out.size() != n * k) {
            throw new InvalidInputException("model " + familyId + ": output '" + output + "' has dims "
                    + java.util.Arrays.toString(out.dims()) + ", expected " + k + " values per sample (one per class)");
        }
        float[] p = out.floatData().clone();
        if (!endsInSoftmax) {
            for (int i = 0; i < n; i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, p[i * k + j]);
                }
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += Math.exp(p[i * k + j] - max);
                }
                for (int j = 0; j < k; j++) {
                    p[i * k + j] = (float) (Math.exp(p[i * k + j] - max) / sum);
                }
            }
        }
        return Tensor.of(Shape.of(n, k), p);
    }

    @Override
    public long parameterCount() {
        return parameterCount;
    }

    @Override
    public ModelSummary summary() {
        return summary;
    }

    @Override
    public ModelProvenance provenance() {
        return provenance;
    }

    @Override
    public void save(Path directory) {
        new ModelDirectory(org.modelbench.api.RecordBinder.toTree(provenance.config()), classNames, sampleShape,
                provenance.seed(), provenance.threads(), provenance.details(), onnx).write(directory, familyId);
    }

    /** A runner through the native interpreter. */
    public static Function<Value, Value> nativeRunner(NativeGraph graph, String output) {
        String input = graph.inputs().get(0).name();
        return fed -> graph.run(Map.of(input, fed), List.of(output), Runtime.getRuntime().availableProcessors()).get(output);
    }
}
