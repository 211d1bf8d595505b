package org.modelbench.engine.internal;

import java.util.ArrayList;
import java.util.List;
import org.modelbench.api.Layer;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.Activation;
import org.modelbench.engine.kernels.Parallel;
import org.modelbench.engine.kernels.Sgemm;

/**
 * How a network runs plain inference faster than layer by layer: runs of convolution and pooling
 * nodes become <em>segments</em> that run on lane-major blocks of samples ({@link LaneKernels}),
 * block after block, so a segment's intermediate activations stay in cache and are never written
 * out in full; 3x3 stride-1 convolutions use Winograd F(4x4, 3x3), with the bias, the ReLU and a
 * following 2x2 max pooling fused into its output transform.
 *
 * <p>A segment is a chain of single-input nodes, each reading the one before and read by no other
 * node, made of: convolutions with groups 1, dilation 1 and a ReLU or linear activation (Winograd
 * for 3x3 stride 1 with at least {@value #WINOGRAD_MIN_CHANNELS} input channels, else direct when
 * they have at most {@value #DIRECT_MAX_TAPS} taps per output) and 2x2 stride-2 max pooling. It
 * holds at least one Winograd convolution, and no activation larger than {@value #MAX_ACTIVATION}
 * floats per sample. Everything else runs layer by layer.
 *
 * <p>Without the Vector API there are no segments. Results never depend on the batch size or the
 * thread count (each sample stays in its own lane); they differ from the layer-by-layer path by the
 * rounding of the Winograd transforms only.
 */
public final class InferencePlan {
    static final int WINOGRAD_MIN_CHANNELS = 4;
    static final int DIRECT_MAX_TAPS = 32;
    /**
     * The largest activation (floats per sample) a segment may hold: a block keeps two of
     * {@link LaneKernels#LANES} samples per thread (64 MiB each at this size with 16 lanes), so
     * larger images (VGG at 224x224) run layer by layer.
     */
    static final int MAX_ACTIVATION = 1 << 20;
    private static final ThreadLocal<Buffers> BUFFERS = new ThreadLocal<>();

    /** One step of a segment: reads a lane-major block of {@code in} and writes one of {@code out}. */
    sealed interface Stage permits DirectConv, WinogradConv, MaxPool {
        Shape in();

        Shape out();
    }

    private record DirectConv(Conv2DLayer conv) implements Stage {
        public Shape in() {
            return conv.inputShape();
        }

        public Shape out() {
            return conv.outputShape();
        }
    }

    private record WinogradConv(Conv2DLayer conv, boolean pool, Shape out) implements Stage {
        public Shape in() {
            return conv.inputShape();
        }
    }

    private record MaxPool(Pool2DLayer pool) implements Stage {
        public Shape in() {
            return pool.inputShape();
        }

        public Shape out() {
            return pool.outputShape();
        }
    }

    /** Nodes {@link #first()} to {@link #last()} of the network, run as one. */
    public static final class Segment {
        private final int first;
        private final int last;
        private final List<Stage> stages;
        private final boolean transientOutput;

        private Segment(int first, int last, List<Stage> stages, boolean transientOutput) {
            this.first = first;
            this.last = last;
            this.stages = List.copyOf(stages);
            this.transientOutput = transientOutput;
        }

        /**
         * Whether the segment's output is dead once the next dense layer has read it: its only reader
         * is a chain of flatten and dropout nodes (both hand their input on at inference) ending in a
         * dense layer, which keeps nothing of its input at inference. {@code Network.predict} then
         * reuses the output's array from one call to the next ({@link #run(Segment, Tensor, int, float[])}).
         */
        public boolean transientOutput() {
            return transientOutput;
        }

        /** The first node. */
        public int first() {
            return first;
        }

        /** The last node: the segment's output is this node's output. */
        public int last() {
            return last;
        }

        /** What runs, for messages and tests, e.g. {@code [direct-conv, winograd-conv+maxpool]}. */
        public List<String> describe() {
            List<String> names = new ArrayList<>();
            for (Stage s : stages) {
                if (s instanceof DirectConv) {
                    names.add("direct-conv");
                } else if (s instanceof WinogradConv w) {
                    names.add(w.pool() ? "winograd-conv+maxpool" : "winograd-conv");
                } else {
                    names.add("maxpool");
                }
            }
            return names;
        }
    }

    private final Segment[] segmentAt;

    private InferencePlan(Segment[] segmentAt) {
        this.segmentAt = segmentAt;
    }

    /**
     * Plans a network.
     *
     * @param layers     the nodes' layers in topological order
     * @param inputIndex per node, the nodes it reads ({@code -1} for the network input)
     */
    public static InferencePlan of(List<Layer> layers, int[][] inputIndex) {
        int count = layers.size();
        Segment[] at = new Segment[count];
        if (!Sgemm.vectorized()) {
            return new InferencePlan(at);
        }
        int[] readers = new int[count];
        for (int[] in : inputIndex) {
            for (int j : in) {
                if (j >= 0) {
                    readers[j]++;
                }
            }
        }
        int i = 0;
        while (i < count) {
            List<Stage> stages = new ArrayList<>();
            int j = i;
            Stage first = stage(layers.get(i), null);
            if (first == null || inputIndex[i].length != 1) {
                i++;
                continue;
            }
            stages.add(first);
            while (j + 1 < count && readers[j] == 1 && inputIndex[j + 1].length == 1 && inputIndex[j + 1][0] == j) {
                Stage previous = stages.get(stages.size() - 1);
                Layer next = layers.get(j + 1);
                if (previous instanceof WinogradConv w && !w.pool() && next instanceof Pool2DLayer p
                        && p.isMaxTwoByTwo()) {
                    stages.set(stages.size() - 1, new WinogradConv(w.conv(), true, p.outputShape()));
                    j++;
                    continue;
                }
                Stage s = stage(next, previous);
                if (s == null) {
                    break;
                }
                stages.add(s);
                j++;
            }
            boolean fits = stages.stream().allMatch(s -> s.in().size() <= MAX_ACTIVATION
                    && s.out().size() <= MAX_ACTIVATION);
            if (fits && stages.stream().anyMatch(s -> s instanceof WinogradConv)) {
                at[i] = new Segment(i, j, stages, readByDenseOnly(layers, inputIndex, readers, j));
                i = j + 1;
            } else {
                i++;
            }
        }
        return new InferencePlan(at);
    }

    /**
     * Whether node {@code node}'s output is read by one chain of flatten and dropout nodes (each with
     * one reader) that ends in a dense layer: then nothing holds the output once that layer has run.
     */
    private static boolean readByDenseOnly(List<Layer> layers, int[][] inputIndex, int[] readers, int node) {
        int at = node;
        while (readers[at] == 1) {
            int reader = -1;
            for (int k = at + 1; k < layers.size() && reader < 0; k++) {
                for (int j : inputIndex[k]) {
                    if (j == at) {
                        reader = k;
                    }
                }
            }
            if (reader < 0 || inputIndex[reader].length != 1) {
                return false;
            }
            Layer layer = layers.get(reader);
            if (layer instanceof DenseLayer) {
                return true;
            }
            if (!(layer instanceof ReshapingLayers.Flatten) && !(layer instanceof DropoutLayer)) {
                return false;
            }
            at = reader;
        }
        return false;
    }

    /** The stage {@code layer} runs as, or null when it cannot run lane-major. */
    private static Stage stage(Layer layer, Stage previous) {
        if (layer instanceof Pool2DLayer p && previous != null && p.isMaxTwoByTwo()) {
            return new MaxPool(p);
        }
        if (!(layer instanceof Conv2DLayer c) || c.inputShape().rank() != 3 || c.groups() != 1 || c.geometry().dh() != 1
                || c.geometry().dw() != 1 || (c.activation() != Activation.RELU && c.activation() != Activation.LINEAR)) {
            return null;
        }
        WindowGeometry g = c.geometry();
        if (g.kh() == 3 && g.kw() == 3 && g.sh() == 1 && g.sw() == 1 && g.channels() >= WINOGRAD_MIN_CHANNELS) {
            return new WinogradConv(c, false, c.outputShape());
        }
        return g.channels() * g.kh() * g.kw() <= DIRECT_MAX_TAPS ? new DirectConv(c) : null;
    }

    /** The segment that starts at node {@code node}, or null. */
    public Segment segmentAt(int node) {
        return segmentAt[node];
    }

    /** Every segment, in node order. */
    public List<Segment> segments() {
        List<Segment> all = new ArrayList<>();
        for (Segment s : segmentAt) {
            if (s != null) {
                all.add(s);
            }
        }
        return all;
    }

    /** Runs {@code segment} on {@code x} ({@code [N, ...]} the first stage's input): the last node's output. */
    public Tensor run(Segment segment, Tensor x, int threads) {
        return run(segment, x, threads, null);
    }

    /**
     * {@link #run(Segment, Tensor, int)} into {@code reuse} when it has exactly the output's size (every
     * element is written), else into a new array.
     */
    public Tensor run(Segment segment, Tensor x, int threads, float[] reuse) {
        List<Stage> stages = segment.stages;
        int n = x.batchSize();
        int lanes = LaneKernels.LANES;
        Shape outShape = stages.get(stages.size() - 1).out();
        int inSize = stages.get(0).in().size();
        int outSize = outShape.size();
        int largest = inSize;
        float[][] winograd = new float[stages.size()][];
        for (int k = 0; k < stages.size(); k++) {
            Stage s = stages.get(k);
            largest = Math.max(largest, s.out().size());
            if (s instanceof WinogradConv w) {
                winograd[k] = LaneKernels.winogradWeights(w.conv().kernelValues(), w.conv().filters(),
                        w.conv().geometry().channels());
            }
        }
        int bufferSize = largest * lanes;
        float[] xs = x.data();
        float[] ys = reuse != null && reuse.length == n * outSize ? reuse : new float[n * outSize];
        Parallel.forEach((n + lanes - 1) / lanes, threads, block -> {
            Buffers b = BUFFERS.get();
            if (b == null) {
                b = new Buffers();
                BUFFERS.set(b);
            }
            float[] cur = b.ping(bufferSize);
            float[] next = b.pong(bufferSize);
            int first = block * lanes;
            int count = Math.min(lanes, n - first);
            LaneKernels.toLanes(xs, first, count, inSize, cur);
            for (int k = 0; k < stages.size(); k++) {
                Stage stage = stages.get(k);
                if (stage instanceof DirectConv d) {
                    Conv2DLayer c = d.conv();
                    LaneKernels.directConv(cur, c.geometry(), c.kernelValues(), c.biasValues(), c.filters(),
                            c.activation() == Activation.RELU, next);
                } else if (stage instanceof WinogradConv w) {
                    Conv2DLayer c = w.conv();
                    LaneKernels.winogradConv(cur, c.geometry(), winograd[k], c.biasValues(), c.filters(),
                            c.activation() == Activation.RELU, w.pool(), next, b.winograd);
                } else {
                    Shape in = stage.in();
                    LaneKernels.maxPoolTwoByTwo(cur, in.dim(0), in.dim(1), in.dim(2), next);
                }
                float[] t = cur;
                cur = next;
                next = t;
            }
            LaneKernels.fromLanes(cur, outSize, ys, first, count);
        });
        return Tensor.of(outShape.withBatch(n), ys);
    }

    /** A thread's two block buffers and Winograd scratch, kept across batches. */
    private static final class Buffers {
        private float[] ping = new float[0];
        private float[] pong = new float[0];
        private final LaneKernels.WinogradScratch winograd = new LaneKernels.WinogradScratch();

        float[] ping(int size) {
            if (ping.length < size) {
                ping = new float[size];
            }
            return ping;
        }

        float[] pong(int size) {
            if (pong.length < size) {
                pong = new float[size];
            }
            return pong;
        }
    }
}
