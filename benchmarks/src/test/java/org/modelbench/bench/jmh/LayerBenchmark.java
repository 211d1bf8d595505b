package org.modelbench.bench.jmh;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.modelbench.api.Layer;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.graph.Network;
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
 * The seed CNN's layer kernels at batch 128: the second convolution (32x26x26 to 64x24x24, 3x3,
 * ReLU; 88.5% of the network's FLOPs) forward and backward, and 2x2 max pooling forward and
 * backward, on {@code threads} threads. Score: ms per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LayerBenchmark {
    private static final int BATCH = 128;

    @Param({"1", "2"})
    public int threads;

    private Layer conv;
    private Layer pool;
    private Tensor convIn;
    private Tensor convGrad;
    private Tensor poolIn;
    private Tensor poolGrad;
    private LayerContext training;

    @Setup(Level.Trial)
    public void setUp() {
        conv = single(Shape.of(32, 26, 26), Map.of("type", "conv2d", "filters", 64, "kernel", 3, "activation", "relu"));
        pool = single(Shape.of(64, 24, 24), Map.of("type", "maxpool2d", "pool", 2, "stride", 2));
        convIn = BenchInputs.random(Shape.of(BATCH, 32, 26, 26), 1);
        convGrad = BenchInputs.random(Shape.of(BATCH, 64, 24, 24), 2);
        poolIn = BenchInputs.random(Shape.of(BATCH, 64, 24, 24), 3);
        poolGrad = BenchInputs.random(Shape.of(BATCH, 64, 12, 12), 4);
        training = new LayerContext(true, 7, threads);
        conv.forward(convIn, training);
        pool.forward(poolIn, training);
    }

    private static Layer single(Shape input, Map<String, ?> spec) {
        return Network.builder("bench", input, 42).add(spec, "layer").build().nodes().get(0).layer();
    }

    @Benchmark
    public Tensor convForward() {
        return conv.forward(convIn, training);
    }

    /** Backward of the last training forward (kernel, bias and input gradients). */
    @Benchmark
    public Tensor convBackward() {
        return conv.backward(convGrad, training);
    }

    @Benchmark
    public Tensor maxPoolForward() {
        return pool.forward(poolIn, training);
    }

    @Benchmark
    public Tensor maxPoolBackward() {
        return pool.backward(poolGrad, training);
    }
}
