package org.modelbench.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.kernels.Sgemm;
import org.modelbench.testkit.OptionalMaterial;

/**
 * {@link Network#predict}, the fused inference path (Winograd 3x3 convolutions, fused ReLU and
 * pooling, lane-major blocks), against the layer-by-layer {@link Network#forward}.
 */
class NetworkPredictTest {

    private static Network network(String name, Shape input, List<Map<String, Object>> layers, long seed) {
        Network.Builder b = Network.builder(name, input, seed);
        for (int i = 0; i < layers.size(); i++) {
            b.add(layers.get(i), "layers[" + i + "]");
        }
        Network net = b.build();
        // non-zero biases, so that the fused bias (and its order with the pooling) is exercised
        SplittableRandom r = new SplittableRandom(seed);
        for (Parameter p : net.parameters()) {
            if (p.name().equals("bias")) {
                float[] d = p.value().data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) r.nextDouble(-0.2, 0.2);
                }
            }
        }
        return net;
    }

    private static Network seedCnn() {
        return network("seed-cnn", Shape.of(1, 28, 28), List.of(
                Map.of("type", "conv2d", "filters", 32, "kernel", 3, "activation", "relu"),
                Map.of("type", "conv2d", "filters", 64, "kernel", 3, "activation", "relu"),
                Map.of("type", "maxpool2d", "pool", 2, "stride", 2),
                Map.of("type", "dropout", "rate", 0.25),
                Map.of("type", "flatten"),
                Map.of("type", "dense", "units", 128, "activation", "relu"),
                Map.of("type", "dropout", "rate", 0.5),
                Map.of("type", "dense", "units", 10, "activation", "softmax")), 42);
    }

    /** Odd sizes, same padding, linear and ReLU, a stride-2 direct conv, a Winograd conv without a pool. */
    private static Network awkward() {
        return network("awkward", Shape.of(3, 19, 17), List.of(
                Map.of("type", "conv2d", "filters", 5, "kernel", 3, "stride", 2, "padding", "same",
                        "activation", "relu"),
                Map.of("type", "conv2d", "filters", 7, "kernel", 3, "padding", "same", "activation", "linear"),
                Map.of("type", "conv2d", "filters", 9, "kernel", 3, "padding", "valid", "activation", "relu"),
                Map.of("type", "maxpool2d", "pool", 2, "stride", 2),
                Map.of("type", "flatten"),
                Map.of("type", "dense", "units", 4, "activation", "softmax")), 7);
    }

    /** A standalone max pool after a direct conv; a node read twice (a residual add) ends a segment. */
    private static Network branching() {
        Network.Builder b = Network.builder("branching", Shape.of(3, 12, 12), 11);
        b.add(Map.of("type", "conv2d", "filters", 8, "kernel", 3, "padding", "same", "activation", "relu"), "layers[0]");
        b.add(Map.of("type", "maxpool2d", "pool", 2, "stride", 2), "layers[1]");
        b.add(Map.of("type", "conv2d", "filters", 8, "kernel", 3, "padding", "same", "activation", "relu",
                "name", "trunk"), "layers[2]");
        b.add(Map.of("type", "conv2d", "filters", 8, "kernel", 3, "padding", "same", "activation", "linear",
                "name", "branch"), "layers[3]");
        b.add(Map.of("type", "add", "inputs", List.of("trunk", "branch")), "layers[4]");
        b.add(Map.of("type", "flatten"), "layers[5]");
        b.add(Map.of("type", "dense", "units", 3, "activation", "softmax"), "layers[6]");
        Network net = b.build();
        for (Parameter p : net.parameters()) {
            if (p.name().equals("bias")) {
                java.util.Arrays.fill(p.value().data(), 0.05f);
            }
        }
        return net;
    }

    private static Tensor input(Network net, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * net.inputShape().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return Tensor.of(net.inputShape().withBatch(n), x);
    }

    /** max |a - b| over max |a|. */
    private static double relativeError(float[] a, float[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        return diff / scale;
    }

    /** The output of node {@code node} by {@link Network#forward}, and by a {@link Network#predict} of the network cut there. */
    private static void assertNodeAgrees(Network net, String node, Tensor x, double tolerance) {
        net.forward(x, new LayerContext(false, 0, 2));
        float[] expected = net.output(node).data();
        Network.Builder cut = Network.builder(net.name() + "-cut", net.inputShape(), 0);
        for (Network.Node n : net.nodes()) {
            cut.add(n.name(), n.layer(), n.inputs().toArray(String[]::new));
            if (n.name().equals(node)) {
                break;
            }
        }
        float[] actual = cut.build().predict(x, 2).data();
        assertEquals(expected.length, actual.length);
        double err = relativeError(expected, actual);
        assertTrue(err <= tolerance, node + ": relative error " + err + " > " + tolerance);
    }

    @Test
    void seedCnnFusesBothConvolutionsAndThePool() {
        OptionalMaterial.require(Sgemm.vectorized(),
                "the Vector API (jdk.incubator.vector) for the fused inference path");
        assertEquals(List.of("conv2d_1..maxpool2d_1 [direct-conv, winograd-conv+maxpool]"), seedCnn().inferencePlan());
        assertEquals(List.of("conv2d_1..maxpool2d_1 [direct-conv, winograd-conv, winograd-conv+maxpool]"),
                awkward().inferencePlan());
        // activations past a million floats per sample (here 4x520x520) would make blocks too big
        assertEquals(List.of(), network("large", Shape.of(4, 520, 520), List.of(
                Map.of("type", "conv2d", "filters", 4, "kernel", 3, "activation", "relu")), 1).inferencePlan());
        assertEquals(1, network("fits", Shape.of(4, 500, 500), List.of(
                Map.of("type", "conv2d", "filters", 4, "kernel", 3, "activation", "relu")), 1).inferencePlan().size());
        // trunk is read by branch and by the add: its segment ends there, and branch runs alone
        assertEquals(List.of("conv2d_1..trunk [direct-conv, maxpool, winograd-conv]", "branch..branch [winograd-conv]"),
                branching().inferencePlan());
    }

    @Test
    void predictAgreesWithForwardUpToRounding() {
        for (Network net : List.of(seedCnn(), awkward(), branching())) {
            Tensor x = input(net, 37, 3);
            float[] forward = net.forward(x, new LayerContext(false, 0, 2)).data();
            float[] predict = net.predict(x, 2).data();
            double err = relativeError(forward, predict);
            assertTrue(err < 1e-5, net.name() + ": relative error " + err);
        }
    }

    @Test
    void everyFusedStageAgreesWithItsLayer() {
        Network net = awkward();
        Tensor x = input(net, 21, 5);
        // the direct convolution does the im2col path's arithmetic exactly
        assertNodeAgrees(net, "conv2d_1", x, 0);
        // Winograd with padding (linear), without (ReLU), and with the fused, flooring pool
        assertNodeAgrees(net, "conv2d_2", x, 1e-5);
        assertNodeAgrees(net, "conv2d_3", x, 1e-5);
        assertNodeAgrees(net, "maxpool2d_1", x, 1e-5);
        Network seed = seedCnn();
        Tensor digits = input(seed, 19, 6);
        assertNodeAgrees(seed, "conv2d_1", digits, 0);
        assertNodeAgrees(seed, "maxpool2d_1", digits, 1e-5);
    }

    @Test
    void resultsDependOnTheSampleAloneNotTheBatchOrThreads() {
        Network net = seedCnn();
        Tensor x = input(net, 45, 9);
        float[] two = net.predict(x, 2).data();
        assertArrayEquals(two, net.predict(x, 1).data(), "1 and 2 threads");
        // a sample gives the same bits alone, in a short batch and at another position in a block
        int k = net.outputShape().size();
        for (int from : new int[] {0, 17, 44}) {
            for (int to : new int[] {from + 1, Math.min(45, from + 3)}) {
                float[] part = net.predict(x.slice(from, to), 2).data();
                for (int i = 0; i < part.length; i++) {
                    assertEquals(two[from * k + i], part[i], "sample " + (from + i / k) + " in [" + from + ", " + to + ")");
                }
            }
        }
    }

    @Test
    void predictLeavesTheLastForwardPassAlone() {
        Network net = seedCnn();
        Tensor x = input(net, 4, 1);
        net.forward(x, new LayerContext(false, 0, 1));
        float[] before = net.output("conv2d_2").data().clone();
        net.predict(input(net, 6, 2), 1);
        assertArrayEquals(before, net.output("conv2d_2").data());
    }

    /**
     * The seed CNN's segment output is read by dropout, flatten and a dense layer only, so predict keeps
     * its array for the next call of the same size: no call's result may depend on an earlier call, and
     * an output that leaves predict (a network cut after the flatten) is never reused.
     */
    @Test
    void aKeptPredictArrayNeverChangesAResult() {
        Network net = seedCnn();
        Tensor a = input(net, 20, 3);
        Tensor b = input(net, 20, 4);
        float[] first = net.predict(a, 2).data().clone();
        float[] other = net.predict(b, 1).data();
        assertArrayEquals(first, net.predict(a, 2).data(), "the same input after another batch");
        assertArrayEquals(seedCnn().predict(b, 1).data(), other, "a fresh network");
        assertArrayEquals(first, net.predict(a.slice(0, 20), 1).data(), "a copy of the input");

        Network.Builder cut = Network.builder("cut", net.inputShape(), 0);
        for (Network.Node n : net.nodes()) {
            cut.add(n.name(), n.layer(), n.inputs().toArray(String[]::new));
            if (n.layer().type().equals("flatten")) {
                break;
            }
        }
        Network features = cut.build();
        Tensor fa = features.predict(a, 2);
        float[] kept = fa.data().clone();
        Tensor fb = features.predict(b, 2);
        assertArrayEquals(kept, fa.data(), "an earlier result after the next call");
        assertTrue(fa.data() != fb.data());
    }
}
