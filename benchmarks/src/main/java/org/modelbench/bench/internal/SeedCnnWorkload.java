package org.modelbench.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.modelbench.api.Dataset;
import org.modelbench.api.Layer;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.graph.Network;

/**
 * The benchmark workload: the engine's {@code seed-cnn} architecture (Keras' mnist_cnn) and its
 * inputs, the first MNIST training images (pixels / 255) from the IDX files in the data cache when
 * present, else seeded uniform noise with seeded labels; the PyTorch script reads the same files.
 */
record SeedCnnWorkload(Dataset data, String source) {
    static final Shape SAMPLE = Shape.of(1, 28, 28);
    static final int CLASSES = 10;

    /** {@code samples} inputs from {@code mnistDirectory} (IDX files) when it has them, else synthetic. */
    static SeedCnnWorkload load(Path mnistDirectory, int samples) {
        Path images = mnistDirectory == null ? null : mnistDirectory.resolve("train-images-idx3-ubyte");
        Path labels = mnistDirectory == null ? null : mnistDirectory.resolve("train-labels-idx1-ubyte");
        float[] x = new float[samples * SAMPLE.size()];
        int[] y = new int[samples];
        String source;
        if (images != null && Files.isRegularFile(images) && Files.isRegularFile(labels)) {
            try {
                byte[] img = Files.readAllBytes(images);
                byte[] lab = Files.readAllBytes(labels);
                int available = Math.min((img.length - 16) / SAMPLE.size(), lab.length - 8);
                if (available < samples) {
                    throw new IllegalArgumentException(images + " has " + available + " images, " + samples + " wanted");
                }
                for (int i = 0; i < x.length; i++) {
                    x[i] = (img[16 + i] & 0xff) / 255f;
                }
                for (int i = 0; i < samples; i++) {
                    y[i] = lab[8 + i];
                }
                source = "mnist";
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } else {
            SplittableRandom r = new SplittableRandom(42);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble();
            }
            for (int i = 0; i < samples; i++) {
                y[i] = r.nextInt(CLASSES);
            }
            source = "synthetic";
        }
        List<String> classes = java.util.stream.IntStream.range(0, CLASSES).mapToObj(Integer::toString).toList();
        Dataset d = new Dataset("bench-" + source, Tensor.of(SAMPLE.withBatch(samples), x), y, classes, Map.of());
        return new SeedCnnWorkload(d, source);
    }

    /** Keras' mnist_cnn, the engine's seed-cnn preset, with the preset's layer specs. */
    static Network network(long seed) {
        Network.Builder b = Network.builder("seed-cnn", SAMPLE, seed);
        b.add(Map.of("type", "conv2d", "filters", 32, "kernel", 3, "activation", "relu"), "layers[0]");
        b.add(Map.of("type", "conv2d", "filters", 64, "kernel", 3, "activation", "relu"), "layers[1]");
        b.add(Map.of("type", "maxpool2d", "pool", 2, "stride", 2), "layers[2]");
        b.add(Map.of("type", "dropout", "rate", 0.25), "layers[3]");
        b.add(Map.of("type", "flatten"), "layers[4]");
        b.add(Map.of("type", "dense", "units", 128, "activation", "relu"), "layers[5]");
        b.add(Map.of("type", "dropout", "rate", 0.5), "layers[6]");
        b.add(Map.of("type", "dense", "units", CLASSES, "activation", "softmax"), "layers[7]");
        return b.build();
    }

    /**
     * Multiply-add FLOPs of one sample's forward pass (2 per MAC), counted from the layers: a dense
     * kernel's size, or a convolution kernel's size times its output positions.
     */
    static long forwardFlops(Network network) {
        long flops = 0;
        for (Network.Node node : network.nodes()) {
            Layer layer = node.layer();
            for (Parameter p : layer.parameters()) {
                if (!p.name().equals("kernel")) {
                    continue;
                }
                long macs = p.size();
                if (layer.type().equals("conv2d")) {
                    Shape out = layer.outputShape();
                    macs *= (long) out.dim(1) * out.dim(2);
                }
                flops += 2 * macs;
            }
        }
        return flops;
    }

    /** Training FLOPs per sample: forward, input gradient and weight gradient, each as large as the forward. */
    static long trainFlops(Network network) {
        return 3 * forwardFlops(network);
    }
}
