package org.modelbench.bench.jmh;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.modelbench.api.Dataset;
import org.modelbench.api.LayerContext;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.OptimizerConfig;
import org.modelbench.engine.config.TrainingSettings;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.NetworkTrainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seed CNN training at batch 128, as {@code modelbench bench} trains it ({@link NetworkTrainer#fit}:
 * Adam, cross-entropy, dropout masks, the first layer without an input gradient), four steps per
 * call on seeded inputs, and the layers the step spends its time in beside it: the first convolution
 * (1 input channel, 9 taps) forward and backward, the second (32 to 64 channels on 26x26 maps, 87 % of
 * the step's FLOPs) forward and backward, dropout forward on the pooled 64x12x12 maps.
 * Score: ms per call; {@code trainFourSteps} / 4 is one step (71.95 MFLOP per sample, 9.2 GFLOP).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC"})
public class TrainingBenchmark {
    private static final int BATCH = 128;

    @Param({"1", "2"})
    public int threads;

    private Network network;
    private Dataset data;
    private NetworkTrainer trainer;
    private RunContext run;
    private org.modelbench.api.Layer conv1;
    private org.modelbench.api.Layer conv2;
    private org.modelbench.api.Layer dropout;
    private Tensor image;
    private Tensor conv1Grad;
    private Tensor conv2Grad;
    private Tensor pooled;
    private LayerContext training;

    @Setup(Level.Trial)
    public void setUp() {
        network = BenchInputs.seedCnn();
        Tensor x = BenchInputs.random(Shape.of(4 * BATCH, 1, 28, 28), 11);
        int[] labels = IntStream.range(0, 4 * BATCH).map(i -> (i * 7) % 10).toArray();
        data = new Dataset("bench", x, labels, IntStream.range(0, 10).mapToObj(Integer::toString).toList(), Map.of());
        trainer = new NetworkTrainer(new TrainingSettings(1, BATCH, OptimizerConfig.of(OptimizerConfig.Type.ADAM), null,
                null, null));
        run = RunContext.of(42).withThreads(threads);
        conv1 = BenchInputs.network(Shape.of(1, 28, 28), List.of(Map.of("type", "conv2d", "filters", 32, "kernel", 3,
                "activation", "relu"))).nodes().get(0).layer();
        conv2 = BenchInputs.network(Shape.of(32, 26, 26), List.of(Map.of("type", "conv2d", "filters", 64, "kernel", 3,
                "activation", "relu"))).nodes().get(0).layer();
        dropout = BenchInputs.network(Shape.of(64, 12, 12), List.of(Map.of("type", "dropout", "rate", 0.25)))
                .nodes().get(0).layer();
        image = BenchInputs.random(Shape.of(BATCH, 1, 28, 28), 12);
        conv1Grad = BenchInputs.random(Shape.of(BATCH, 32, 26, 26), 13);
        conv2Grad = BenchInputs.random(Shape.of(BATCH, 64, 24, 24), 15);
        pooled = BenchInputs.random(Shape.of(BATCH, 64, 12, 12), 14);
        training = new LayerContext(true, 7, threads);
        conv1.forward(image, training);
        conv2.forward(conv1Grad, training);
    }

    /** One epoch of 4 batches of 128: forward, loss, backward and the Adam step, 4 times. */
    @Benchmark
    public Object trainFourSteps() {
        return trainer.fit(network, data, Optional.empty(), run);
    }

    @Benchmark
    public Tensor conv1Forward() {
        return conv1.forward(image, training);
    }

    /** Backward of the last training forward, input gradient included (as a layer that is not first). */
    @Benchmark
    public Tensor conv1Backward() {
        return conv1.backward(conv1Grad, training);
    }

    /** The second convolution's training forward on 32x26x26 maps (the first one's gradient shape serves as input). */
    @Benchmark
    public Tensor conv2Forward() {
        return conv2.forward(conv1Grad, training);
    }

    /** Backward of the second convolution's last training forward, input gradient included. */
    @Benchmark
    public Tensor conv2Backward() {
        return conv2.backward(conv2Grad, training);
    }

    @Benchmark
    public Tensor dropoutForward() {
        return dropout.forward(pooled, training);
    }
}
