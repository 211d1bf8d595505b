package org.modelbench.bench.jmh;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.graph.Network;

/** The networks and seeded inputs the JMH benchmarks share. */
final class BenchInputs {
    private BenchInputs() {
    }

    /** The seed CNN (Keras' mnist_cnn, the engine's {@code seed-cnn} preset). */
    static Network seedCnn() {
        return network(Shape.of(1, 28, 28), List.of(
                Map.of("type", "conv2d", "filters", 32, "kernel", 3, "activation", "relu"),
                Map.of("type", "conv2d", "filters", 64, "kernel", 3, "activation", "relu"),
                Map.of("type", "maxpool2d", "pool", 2, "stride", 2),
                Map.of("type", "dropout", "rate", 0.25),
                Map.of("type", "flatten"),
                Map.of("type", "dense", "units", 128, "activation", "relu"),
                Map.of("type", "dropout", "rate", 0.5),
                Map.of("type", "dense", "units", 10, "activation", "softmax")));
    }

    /** A sequential network of layer specs, seed 42. */
    static Network network(Shape input, List<Map<String, Object>> layers) {
        Network.Builder b = Network.builder("bench", input, 42);
        for (int i = 0; i < layers.size(); i++) {
            b.add(layers.get(i), "layers[" + i + "]");
        }
        return b.build();
    }

    /** Uniform values in [-1, 1). */
    static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(shape, x);
    }
}
