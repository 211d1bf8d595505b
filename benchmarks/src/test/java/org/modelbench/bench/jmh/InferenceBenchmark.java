package org.modelbench.bench.jmh;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
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
 * Inference at batch 1000 on {@code threads} threads: the seed CNN through {@link Network#predict}
 * (lane-major blocks, direct first convolution, Winograd F(4x4, 3x3) second convolution with fused
 * bias, ReLU and max pooling) against {@link Network#forward} (layer by layer, im2col + SGEMM), and
 * the second convolution and its pooling alone both ways; and {@code predict} on a seed CNN that has
 * trained an epoch first, as the bench runs it (its layers then keep their training arrays, about 150 MB
 * live: with the launcher's serial collector a predict that allocated its 37 MB segment output every call
 * ran into a full collection every few batches). Score: ms per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC"})
public class InferenceBenchmark {
    private static final int BATCH = 1000;

    @Param({"1", "2"})
    public int threads;

    private Network seedCnn;
    private Network trainedSeedCnn;
    private Network convPool;
    private Tensor digits;
    private Tensor features;
    private LayerContext inference;

    @Setup(Level.Trial)
    public void setUp() {
        seedCnn = BenchInputs.seedCnn();
        convPool = BenchInputs.network(Shape.of(32, 26, 26), List.of(
                Map.of("type", "conv2d", "filters", 64, "kernel", 3, "activation", "relu"),
                Map.of("type", "maxpool2d", "pool", 2, "stride", 2)));
        digits = BenchInputs.random(Shape.of(BATCH, 1, 28, 28), 1);
        features = BenchInputs.random(Shape.of(BATCH, 32, 26, 26), 2);
        inference = new LayerContext(false, 0, threads);
        trainedSeedCnn = BenchInputs.seedCnn();
        int samples = 2560;
        SplittableRandom r = new SplittableRandom(3);
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = r.nextInt(10);
        }
        Dataset train = new Dataset("bench-random", BenchInputs.random(Shape.of(samples, 1, 28, 28), 3), labels,
                IntStream.range(0, 10).mapToObj(Integer::toString).toList(), Map.of());
        TrainingSettings adam = new TrainingSettings(1, 128, OptimizerConfig.of(OptimizerConfig.Type.ADAM), null, null,
                null);
        new NetworkTrainer(adam).fit(trainedSeedCnn, train, Optional.empty(), RunContext.of(42).withThreads(threads));
    }

    @Benchmark
    public Tensor trainedSeedCnnPredict() {
        return trainedSeedCnn.predict(digits, threads);
    }

    @Benchmark
    public Tensor seedCnnPredict() {
        return seedCnn.predict(digits, threads);
    }

    @Benchmark
    public Tensor seedCnnForward() {
        return seedCnn.forward(digits, inference);
    }

    @Benchmark
    public Tensor conv2PoolPredict() {
        return convPool.predict(features, threads);
    }

    @Benchmark
    public Tensor conv2PoolForward() {
        return convPool.forward(features, inference);
    }
}
