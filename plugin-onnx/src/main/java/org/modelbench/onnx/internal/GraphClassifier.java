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
 *
 * <p>This class gives predictions only (as for ONNX Runtime, which computes no gradients);
 * {@link NativeGraphClassifier}, on the native interpreter, also gives gradients and activations.
 */
public sealed class GraphClassifier implements Model permits NativeGraphClassifier {
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
    private final int samplesPerPass;

    /**
     * A classifier whose passes hold at most as many samples as fit a quarter of the JVM's heap at
     * {@value #BYTES_PER_INPUT_BYTE} bytes per byte of preprocessed input (a rough bound on a
     * convolutional network's values).
     *
     * @param feedNhwc whether the ONNX model's input is NHWC (the preprocessed NCHW batch is transposed)
     * @param output   the value that holds the class scores
     * @param runner   computes {@code output} for a fed input value
     */
    public GraphClassifier(String familyId, Shape sampleShape, List<String> classNames, PreprocessingConfig preprocessing,
                           boolean feedNhwc, ModelProto onnx, String output, Function<Value, Value> runner,
                           long parameterCount, ModelSummary summary, ModelProvenance provenance) {
        this(familyId, sampleShape, classNames, preprocessing, feedNhwc, onnx, output, runner, parameterCount, summary,
                provenance, MemoryBudget.of(null).samplesPerPass(BYTES_PER_INPUT_BYTE * Float.BYTES
                        * (long) Preprocessing.outputShape(preprocessing, sampleShape).size(), MAX_PASS));
    }

    /** The largest pass, in samples, whatever the budget. */
    static final int MAX_PASS = 256;
    /** Bytes of values per byte of preprocessed input assumed when a graph's values are not measured. */
    static final int BYTES_PER_INPUT_BYTE = 64;

    /**
     * @param samplesPerPass the most samples one pass of the runner gets (larger batches are split,
     *                       each part preprocessed on its own)
     */
    public GraphClassifier(String familyId, Shape sampleShape, List<String> classNames, PreprocessingConfig preprocessing,
                           boolean feedNhwc, ModelProto onnx, String output, Function<Value, Value> runner,
                           long parameterCount, ModelSummary summary, ModelProvenance provenance, int samplesPerPass) {
        if (samplesPerPass < 1) {
            throw new IllegalArgumentException("samplesPerPass must be >= 1, got " + samplesPerPass);
        }
        this.samplesPerPass = samplesPerPass;
        this.familyId = familyId;
        this.sampleShape = sampleShape;
        this.classNames = List.copyOf(classNames);
        this.preprocessing = preprocessing;
        this.feedNhwc = feedNhwc;
        this.onnx = onnx;
        this.output = output;
        this.endsInSoftmax = softmaxInput(onnx, output) != null;
        this.runner = runner;
        this.parameterCount = parameterCount;
        this.summary = summary;
        this.provenance = provenance;
    }

    /**
     * Follows Identity nodes back from {@code value} to a Softmax node and returns that node's input
     * (the logits); null when no Softmax produced {@code value}.
     */
    static String softmaxInput(ModelProto onnx, String value) {
        String v = value;
        for (int guard = 0; guard < 16; guard++) {
            String current = v;
            var producer = onnx.getGraph().getNodeList().stream().filter(n -> n.getOutputList().contains(current))
                    .findFirst();
            if (producer.isEmpty()) {
                return null;
            }
            if (producer.get().getOpType().equals("Softmax")) {
                return producer.get().getInput(0);
            }
            if (!producer.get().getOpType().equals("Identity")) {
                return null;
            }
            v = producer.get().getInput(0);
        }
        return null;
    }

    /** Replaces each of the {@code n} rows of {@code k} scores in {@code z} by its softmax. */
    static void softmaxRows(float[] z, int n, int k) {
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[i * k + j] - max);
            }
            for (int j = 0; j < k; j++) {
                z[i * k + j] = (float) (Math.exp(z[i * k + j] - max) / sum);
            }
        }
    }

    /** The value that holds the class scores (probabilities after a Softmax, else logits). */
    String output() {
        return output;
    }

    /** Whether {@link #output()} comes from a Softmax node (through Identity nodes). */
    boolean endsInSoftmax() {
        return endsInSoftmax;
    }

    /** Checks that a batch matches {@link #sampleShape()}. */
    void checkBatch(Tensor batch) {
        if (batch.shape().rank() != sampleShape.rank() + 1 || !batch.shape().withoutBatch().equals(sampleShape)) {
            throw new InvalidInputException("model " + familyId + " takes batches of " + sampleShape + ", got "
                    + batch.shape());
        }
    }

    /** The value fed to the ONNX graph for a raw batch: preprocessed, NHWC if the graph wants it. */
    Value feed(Tensor batch) {
        Tensor x = Preprocessing.apply(preprocessing, batch);
        return feedNhwc ? Preprocessing.toNhwc(x) : Value.floats(x.shape().dims(), x.data());
    }

    /** The gradient with respect to a raw batch of shape {@code raw} given that with respect to {@link #feed}. */
    Tensor gradientToRaw(Shape raw, Value fedGradient) {
        Shape pre = Preprocessing.outputShape(preprocessing, sampleShape).withBatch(raw.dim(0));
        Tensor g = feedNhwc ? Preprocessing.fromNhwc(fedGradient, pre.dims())
                : Tensor.of(pre, fedGradient.floatData());
        return Preprocessing.gradientToRaw(preprocessing, raw, g);
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

    /** The most samples one pass gets. */
    int samplesPerPass() {
        return samplesPerPass;
    }

    /**
     * Applies {@code pass} to consecutive parts of {@code batch} of at most {@code rows} rows and
     * joins the results row-wise (each result is batch first).
     */
    static Tensor inParts(Tensor batch, int rows, Function<Tensor, Tensor> pass) {
        int n = batch.batchSize();
        if (n <= rows) {
            return pass.apply(batch);
        }
        float[] all = null;
        Shape sample = null;
        for (int from = 0; from < n; from += rows) {
            int to = Math.min(n, from + rows);
            Tensor y = pass.apply(batch.slice(from, to));
            if (all == null) {
                sample = y.shape().withoutBatch();
                all = new float[Math.multiplyExact(n, sample.size())];
            }
            System.arraycopy(y.data(), 0, all, from * sample.size(), y.data().length);
        }
        return Tensor.of(sample.withBatch(n), all);
    }

    @Override
    public synchronized Tensor predictProbabilities(Tensor batch) {
        checkBatch(batch);
        return inParts(batch, samplesPerPass, this::predictPart);
    }

    private Tensor predictPart(Tensor batch) {
        Value out = runner.apply(feed(batch));
        int n = batch.batchSize();
        int k = classNames.size();
        if (out.size() != n * k) {
            throw new InvalidInputException("model " + familyId + ": output '" + output + "' has dims "
                    + java.util.Arrays.toString(out.dims()) + ", expected " + k + " values per sample (one per class)");
        }
        float[] p = out.floatData().clone();
        if (!endsInSoftmax) {
            softmaxRows(p, n, k);
        }
        return Tensor.of(Shape.of(n, k), p);
    }

    @Override
    public long parameterCount() {
        return parameterCount;
    }

    /** Rows whose frozen part's features the runner read from its cache ({@link FrozenSplit.CachedRunner}). */
    @Override
    public long rowsFromCache() {
        return runner instanceof FrozenSplit.CachedRunner cached ? cached.rowsFromCache() : 0;
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
