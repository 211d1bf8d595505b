package org.modelbench.engine.graph;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.api.TrainingDivergedException;
import org.modelbench.api.TrainingEvent;
import org.modelbench.engine.config.EarlyStoppingConfig;
import org.modelbench.engine.config.LossFunction;
import org.modelbench.engine.config.TrainingSettings;
import org.modelbench.engine.internal.Losses;
import org.modelbench.engine.internal.Optimizer;

/**
 * Mini-batch training of a {@link Network} for classification, in place.
 *
 * <p>Each {@link #fit} call starts fresh optimiser state and derives its shuffling and dropout
 * masks from the run context's seed ({@code derivedSeed("shuffle")}, {@code derivedSeed("dropout")}),
 * so the same network, data and seed give bit-identical weights for any thread count. Events go to
 * the context's listeners: {@code Started}, {@code BatchFinished} per batch, {@code EpochFinished},
 * {@code Finished}. Frozen parameters are neither updated nor regularised. When the context carries an
 * {@link org.modelbench.api.Augmenter}, every training batch is augmented before its forward pass with
 * {@code context.augmentationSeed(epoch, batch)}, so each epoch sees fresh, reproducible variants.
 */
public final class NetworkTrainer {
    private static final int EVAL_BATCH = 256;
    private final TrainingSettings settings;

    public NetworkTrainer(TrainingSettings settings) {
        this.settings = settings;
    }

    public TrainingSettings settings() {
        return settings;
    }

    /**
     * Trains {@code network} on {@code train}.
     *
     * @throws InvalidInputException      when the data does not fit the network
     * @throws TrainingDivergedException when a batch loss is NaN or infinite (naming epoch and batch)
     */
    public TrainingHistory fit(Network network, Dataset train, Optional<Dataset> validation, RunContext context) {
        check(network, train);
        validation.ifPresent(v -> check(network, v));
        long start = System.nanoTime();
        int n = train.size();
        int bs = Math.min(settings.batchSize(), n);
        int batches = (n + bs - 1) / bs;
        int epochs = settings.epochs();
        int k = train.numClasses();
        context.emit(new TrainingEvent.Started(epochs, batches, n));
        Optimizer optimizer = new Optimizer(settings.optimizer());
        List<Parameter> params = network.parameters();
        for (Parameter p : params) {
            java.util.Arrays.fill(p.gradient().data(), 0f);
        }
        long shuffleSeed = context.derivedSeed("shuffle");
        long dropoutSeed = context.derivedSeed("dropout");
        EarlyStoppingConfig stopping = settings.earlyStopping();
        if (stopping != null && validation.isEmpty()) {
            context.emit(new TrainingEvent.Message("early stopping ignored: no validation data"));
            stopping = null;
        }
        boolean fused = settings.loss() == LossFunction.CROSS_ENTROPY && network.endsInSoftmax();
        List<TrainingHistory.Epoch> history = new ArrayList<>();
        double best = Double.NaN;
        int bestEpoch = 0;
        int sinceBest = 0;
        float[][] bestWeights = null;
        String reason = "completed";
        float[] features = train.features().data();
        int sampleSize = network.inputShape().size();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long epochStart = System.nanoTime();
            float lr = (float) settings.schedule().rate(settings.optimizer().learningRate(), epoch - 1, epochs);
            int[] order = permutation(n, RunContext.mix(shuffleSeed + epoch));
            double lossSum = 0;
            long hits = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * bs;
                int m = Math.min(n, from + bs) - from;
                float[] x = new float[m * sampleSize];
                int[] labels = new int[m];
                for (int i = 0; i < m; i++) {
                    int row = order[from + i];
                    System.arraycopy(features, row * sampleSize, x, i * sampleSize, sampleSize);
                    labels[i] = train.labels()[row];
                }
                LayerContext lc = new LayerContext(true, RunContext.mix(dropoutSeed + epoch * 1_000_003L + b),
                        context.threads());
                Tensor batch = Tensor.of(network.inputShape().withBatch(m), x);
                if (context.augmenter() != null) {
                    batch = context.augmenter().augment(batch, context.augmentationSeed(epoch, b));
                }
                Tensor out = network.forward(batch, lc);
                float[] grad = new float[m * k];
                double loss = loss(network, out, labels, k, grad, fused) + l2Penalty(params);
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException("model " + network.name() + ": training diverged at epoch "
                            + epoch + ", batch " + (b + 1) + " of " + batches + ": the loss is " + loss
                            + " (try a lower learning rate or rescaled inputs)");
                }
                hits += Losses.correct(out.data(), labels, k);
                lossSum += loss * m;
                network.backward(Tensor.of(out.shape(), grad), lc, fused, false);
                optimizer.step(params, lr, context.threads());
                context.emit(new TrainingEvent.BatchFinished(epoch, b + 1, batches, m, loss));
            }
            double valLoss = Double.NaN;
            double valAcc = Double.NaN;
            if (validation.isPresent()) {
                double[] lossAcc = evaluate(network, validation.get(), context.threads());
                valLoss = lossAcc[0];
                valAcc = lossAcc[1];
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - epochStart);
            history.add(new TrainingHistory.Epoch(epoch, lr, lossSum / n, (double) hits / n, valLoss, valAcc, elapsed));
            context.emit(new TrainingEvent.EpochFinished(epoch, epochs, lossSum / n, (double) hits / n, valLoss, valAcc,
                    elapsed));
            bestEpoch = epoch;
            if (stopping != null) {
                double score = stopping.metric() == EarlyStoppingConfig.Metric.VAL_LOSS ? valLoss : -valAcc;
                if (Double.isNaN(best) || score < best - stopping.minDelta()) {
                    best = score;
                    sinceBest = 0;
                    bestWeights = stopping.restoreBest() ? snapshot(network) : null;
                } else if (++sinceBest >= stopping.patience()) {
                    int bestAt = epoch - sinceBest;
                    reason = "early stopping at epoch " + epoch + " (best epoch " + bestAt + ")";
                    if (bestWeights != null) {
                        restore(network, bestWeights);
                        bestEpoch = bestAt;
                    }
                    break;
                }
            }
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        context.emit(new TrainingEvent.Finished(history.size(), reason, total));
        return new TrainingHistory(history, bestEpoch, reason, total);
    }

    private double loss(Network network, Tensor out, int[] labels, int k, float[] grad, boolean fused) {
        if (settings.loss() == LossFunction.MSE) {
            return Losses.mse(out.data(), labels, k, grad);
        }
        // cross-entropy: from the logits of a final softmax, else the outputs are the logits
        return Losses.crossEntropyFromLogits(fused ? network.logits().data() : out.data(), labels, k, grad);
    }

    private static double l2Penalty(List<Parameter> params) {
        double sum = 0;
        for (Parameter p : params) {
            if (p.trainable() && p.l2() > 0) {
                double s = 0;
                for (float w : p.value().data()) {
                    s += (double) w * w;
                }
                sum += p.l2() * s;
            }
        }
        return sum;
    }

    /**
     * Mean loss (the configured loss, without L2) and accuracy of {@code network} on {@code data},
     * in inference mode.
     */
    public double[] evaluate(Network network, Dataset data, int threads) {
        check(network, data);
        int n = data.size();
        int k = data.numClasses();
        double loss = 0;
        long hits = 0;
        boolean fused = settings.loss() == LossFunction.CROSS_ENTROPY && network.endsInSoftmax();
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int to = Math.min(n, from + EVAL_BATCH);
            Tensor out = network.predict(data.features().slice(from, to), threads);
            int[] labels = java.util.Arrays.copyOfRange(data.labels(), from, to);
            float[] grad = new float[(to - from) * k];
            loss += loss(network, out, labels, k, grad, fused) * (to - from);
            hits += Losses.correct(out.data(), labels, k);
        }
        return new double[] {loss / n, (double) hits / n};
    }

    private static void check(Network network, Dataset data) {
        if (!data.sampleShape().equals(network.inputShape())) {
            throw new InvalidInputException("model " + network.name() + " takes samples of " + network.inputShape()
                    + ", but dataset " + data.name() + " has " + data.sampleShape());
        }
        if (network.outputShape().rank() != 1 || network.outputShape().dim(0) != data.numClasses()) {
            throw new InvalidInputException("model " + network.name() + " outputs " + network.outputShape()
                    + " values per sample, but dataset " + data.name() + " has " + data.numClasses() + " classes");
        }
        if (data.size() == 0) {
            throw new InvalidInputException("dataset " + data.name() + " is empty");
        }
    }

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static float[][] snapshot(Network network) {
        List<Tensor> all = tensors(network);
        float[][] copy = new float[all.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = all.get(i).data().clone();
        }
        return copy;
    }

    private static void restore(Network network, float[][] copy) {
        List<Tensor> all = tensors(network);
        for (int i = 0; i < copy.length; i++) {
            System.arraycopy(copy[i], 0, all.get(i).data(), 0, copy[i].length);
        }
    }

    /** Every parameter value and state tensor, in a stable order. */
    static List<Tensor> tensors(Network network) {
        List<Tensor> all = new ArrayList<>();
        for (Network.Node node : network.nodes()) {
            for (Parameter p : node.layer().parameters()) {
                all.add(p.value());
            }
            if (node.layer() instanceof StatefulLayer s) {
                all.addAll(s.state().values());
            }
        }
        return all;
    }
}
