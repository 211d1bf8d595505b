package org.modelbench.engine.internal;

import java.util.ArrayList;
import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.Activation;
import org.modelbench.engine.config.Conv1DConfig;
import org.modelbench.engine.config.Conv2DConfig;
import org.modelbench.engine.config.Initializer;
import org.modelbench.engine.kernels.Parallel;
import org.modelbench.engine.kernels.Sgemm;

/**
 * Grouped 2-D convolution as im2col + {@link Sgemm}: input {@code [N, C, H, W]}, kernel
 * {@code [F, C / groups, kh, kw]}, bias {@code [F]}, output {@code [N, F, outH, outW]}. The same
 * class runs the 1-d convolution {@code conv1d} ({@link #conv1d}): input {@code [N, C, L]}, kernel
 * {@code [F, C / groups, k]}, output {@code [N, F, outL]}, as a {@code 1 x k} kernel on
 * {@code [N, C, 1, L]} (the arrays are laid out alike).
 *
 * <p>Forward runs samples in parallel. Backward splits the batch into fixed chunks of
 * {@value #CHUNK} samples whose partial kernel (kept transposed) and bias gradients are summed in
 * chunk order, so the result is the same for any thread count. Each sample is unfolded in bands of
 * output rows (at most {@value #BAND_FLOATS} floats: bounded scratch for large layers), in the
 * forward pass and again in the backward pass, rather than keeping the batch's unfolding; the bands
 * depend on the layer's shapes only.
 */
public final class Conv2DLayer extends FusedActivationLayer implements ParameterGradients {
    static final int CHUNK = 8;
    /**
     * Floats of one band of a sample's unfolded input (and of its gradient): at most 4 MiB, so that a
     * large layer (VGG16's 3x3 convolutions on 56x56 maps unfold to 58 MB per sample) needs bounded
     * scratch. Smaller bands measured slower: the seed CNN's second convolution (663 KiB, one band) in
     * bands of 166 KiB took 30 instead of 20 ms forward per batch of 128 on one thread (load 10), the
     * narrower products costing more than the cache traffic they save.
     */
    static final int BAND_FLOATS = 1 << 20;
    private final WindowGeometry g;
    private final int filters;
    private final int groups;
    private final int groupChannels;
    private final int groupFilters;
    private final int groupRows;
    /** Output rows per band of the unfolding (equal bands, the last one possibly shorter). */
    private final int bandRows;
    /**
     * Whether training unfolds in full input rows ({@link #fullRowColumns}): stride 1, no padding, the
     * kernel inside the input.
     */
    private final boolean fullRows;
    private final Parameter kernel;
    private final Parameter bias;
    /** The input of the last training forward: backward unfolds it again, one sample at a time. */
    private Tensor input;
    /** The output and input-gradient arrays of the last training step, reused by the next ({@link #reuse}). */
    private float[] trainingOutput;
    private float[] trainingInputGradient;

    Conv2DLayer(Conv2DConfig config, WindowGeometry geometry, Shape inputShape, long seed) {
        this("conv2d", inputShape, Shape.of(config.filters(), geometry.outH(), geometry.outW()), geometry,
                config.groups(), config.activation(), parameters(config.filters(), config.groups(), config.useBias(),
                        config.l2(), config.initializer(), geometry, seed, false));
    }

    /** A 1-d convolution on {@code [C, L]} inputs; {@code geometry} from {@link WindowGeometry#ofSequence}. */
    static Conv2DLayer conv1d(Conv1DConfig config, WindowGeometry geometry, Shape inputShape, long seed) {
        return new Conv2DLayer("conv1d", inputShape, Shape.of(config.filters(), geometry.outW()), geometry,
                config.groups(), config.activation(), parameters(config.filters(), config.groups(), config.useBias(),
                config.l2(), config.initializer(), geometry, seed, true));
    }

    private Conv2DLayer(String type, Shape inputShape, Shape outputShape, WindowGeometry geometry, int groups,
                        Activation activation, List<Parameter> params) {
        super(type, inputShape, outputShape, params, activation);
        this.g = geometry;
        this.filters = outputShape.dim(0);
        this.groups = groups;
        this.groupChannels = geometry.channels() / groups;
        this.groupFilters = filters / groups;
        this.groupRows = groupChannels * geometry.kh() * geometry.kw();
        int maxRows = Math.max(1, BAND_FLOATS / Math.max(1, groups * groupRows * geometry.outW()));
        int bands = (geometry.outH() + maxRows - 1) / maxRows;
        this.bandRows = (geometry.outH() + bands - 1) / bands;
        this.fullRows = geometry.sh() == 1 && geometry.sw() == 1 && geometry.padTop() == 0 && geometry.padLeft() == 0
                && geometry.outH() == geometry.inH() - (geometry.kh() - 1) * geometry.dh()
                && geometry.outW() == geometry.inW() - (geometry.kw() - 1) * geometry.dw();
        this.kernel = params.get(0);
        this.bias = params.size() > 1 ? params.get(1) : null;
    }

    private static List<Parameter> parameters(int filters, int groups, boolean useBias, float l2,
                                              Initializer initializer, WindowGeometry g, long seed, boolean sequence) {
        int cg = g.channels() / groups;
        int area = g.kh() * g.kw();
        List<Parameter> params = new ArrayList<>();
        Shape shape = sequence ? Shape.of(filters, cg, g.kw()) : Shape.of(filters, cg, g.kh(), g.kw());
        Tensor w = Init.fill(Tensor.zeros(shape), initializer, cg * area, filters / groups * area, seed);
        params.add(new Parameter("kernel", w, l2));
        if (useBias) {
            params.add(new Parameter("bias", Tensor.zeros(Shape.of(filters)), 0f));
        }
        return params;
    }

    /** Where the kernel falls on the input (for {@link InferencePlan}). */
    WindowGeometry geometry() {
        return g;
    }

    int filters() {
        return filters;
    }

    int groups() {
        return groups;
    }

    Activation activation() {
        return activation;
    }

    /** The kernel, {@code [F, C / groups, kh, kw]}. */
    float[] kernelValues() {
        return kernel.value().data();
    }

    /** The bias, {@code [F]}, or null without one. */
    float[] biasValues() {
        return bias == null ? null : bias.value().data();
    }

    @Override
    public Tensor forward(Tensor x, LayerContext context) {
        int n = checkInput(x);
        if (context.training() && fullRows && (activation == Activation.RELU || activation == Activation.LINEAR)) {
            return trainingForwardInFullRows(x, n, context);
        }
        int hw = g.outSize();
        int sampleRows = groupRows * groups;
        int inSize = inputShape().size();
        int outSize = filters * hw;
        float[] out = context.training() ? trainingOutput = reuse(trainingOutput, n * outSize) : new float[n * outSize];
        float[] logitCopy = activation == Activation.SOFTMAX ? new float[n * outSize] : null;
        float[] w = kernel.value().data();
        float[] b = bias == null ? null : bias.value().data();
        float[] xs = x.data();
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forEach(chunks, context.threads(), c -> {
            // one sample's columns at a time, in this thread's cache (backward unfolds them again
            // rather than keeping the batch's columns, which would travel through main memory twice)
            float[] col = Scratch.floats(Scratch.Slot.IM2COL, sampleRows * bandRows * g.outW());
            for (int s = c * CHUNK; s < Math.min(n, (c + 1) * CHUNK); s++) {
                for (int oy0 = 0; oy0 < g.outH(); oy0 += bandRows) {
                    int oy1 = Math.min(g.outH(), oy0 + bandRows);
                    int bw = (oy1 - oy0) * g.outW();
                    g.im2col(xs, s * inSize, 0, g.channels(), oy0, oy1, col, 0);
                    for (int gr = 0; gr < groups; gr++) {
                        Sgemm.gemm(false, false, groupFilters, bw, groupRows, w, gr * groupFilters * groupRows,
                                groupRows, col, gr * groupRows * bw, bw, out,
                                s * outSize + gr * groupFilters * hw + oy0 * g.outW(), hw, false, 1);
                    }
                }
                if (activation == Activation.RELU) {
                    for (int f = 0; f < filters; f++) {
                        Elementwise.biasRelu(out, s * outSize + f * hw, hw, b == null ? 0f : b[f]);
                    }
                    continue;
                }
                if (b != null) {
                    for (int f = 0; f < filters; f++) {
                        float bf = b[f];
                        int o = s * outSize + f * hw;
                        for (int i = 0; i < hw; i++) {
                            out[o + i] += bf;
                        }
                    }
                }
                if (logitCopy != null) {
                    System.arraycopy(out, s * outSize, logitCopy, s * outSize, outSize);
                }
                Activations.apply(activation, LEAKY_SLOPE, out, s * outSize, outSize);
            }
        });
        Tensor y = Tensor.of(outputBatch(n), out);
        input = context.keepsForBackward() ? x : null;
        remember(y, logitCopy == null ? null : Tensor.of(outputBatch(n), logitCopy), context);
        return y;
    }

    /**
     * The training forward of a layer unfolded in full input rows: each band's products run on the
     * full-row columns ({@link #fullRowColumns}), the bias and activation copy the valid columns out.
     */
    private Tensor trainingForwardInFullRows(Tensor x, int n, LayerContext context) {
        int hw = g.outSize();
        int sampleRows = groupRows * groups;
        int inSize = inputShape().size();
        int outSize = filters * hw;
        int inW = g.inW();
        int outW = g.outW();
        float[] out = trainingOutput = reuse(trainingOutput, n * outSize);
        float[] w = kernel.value().data();
        float[] b = bias == null ? null : bias.value().data();
        float[] xs = x.data();
        boolean relu = activation == Activation.RELU;
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forEach(chunks, context.threads(), c -> {
            int most = fullRowColumns(0, Math.min(g.outH(), bandRows));
            float[] col = Scratch.floats(Scratch.Slot.IM2COL, sampleRows * most);
            float[] product = Scratch.floats(Scratch.Slot.FULL_ROW_OUTPUT, filters * most);
            for (int s = c * CHUNK; s < Math.min(n, (c + 1) * CHUNK); s++) {
                for (int oy0 = 0; oy0 < g.outH(); oy0 += bandRows) {
                    int oy1 = Math.min(g.outH(), oy0 + bandRows);
                    int cols = fullRowColumns(oy0, oy1);
                    unfoldFullRows(xs, s * inSize, oy0, cols, col);
                    for (int gr = 0; gr < groups; gr++) {
                        Sgemm.gemmWhole(false, false, groupFilters, cols, groupRows, w, gr * groupFilters * groupRows,
                                groupRows, col, gr * groupRows * cols, cols, product, gr * groupFilters * cols, cols,
                                false);
                    }
                    for (int f = 0; f < filters; f++) {
                        Elementwise.biasActivationRows(product, f * cols, inW, out, s * outSize + f * hw + oy0 * outW,
                                outW, oy1 - oy0, outW, b == null ? 0f : b[f], relu);
                    }
                }
            }
        });
        Tensor y = Tensor.of(outputBatch(n), out);
        input = x;
        remember(y, null, context);
        return y;
    }

    /**
     * Columns of the full-row unfolding of the output rows {@code [oy0, oy1)}: column
     * {@code (oy - oy0) * inW + ox} for every {@code ox < inW} (those at {@code ox >= outW} are not outputs),
     * up to the last output of row {@code oy1 - 1}, so that each row of the unfolding is one contiguous
     * run of an input plane (a copy, and its adjoint one addition) and never leaves the plane.
     */
    private int fullRowColumns(int oy0, int oy1) {
        return (oy1 - oy0 - 1) * g.inW() + g.outW();
    }

    /** The full-row unfolding of one sample's output rows from {@code oy0}: row {@code (c * kh + i) * kw + j}. */
    private void unfoldFullRows(float[] x, int xOff, int oy0, int cols, float[] col) {
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = xOff + c * g.inSize();
            for (int i = 0; i < g.kh(); i++) {
                int from = plane + (oy0 + i * g.dh()) * g.inW();
                for (int j = 0; j < g.kw(); j++) {
                    System.arraycopy(x, from + j * g.dw(), col, row++ * cols, cols);
                }
            }
        }
    }

    /** The adjoint of {@link #unfoldFullRows}: adds the rows back into one sample's input gradient. */
    private void foldFullRows(float[] dcol, int cols, int oy0, float[] dx, int dxOff) {
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = dxOff + c * g.inSize();
            for (int i = 0; i < g.kh(); i++) {
                int to = plane + (oy0 + i * g.dh()) * g.inW();
                for (int j = 0; j < g.kw(); j++) {
                    Elementwise.addInto(dcol, row++ * cols, dx, to + j * g.dw(), cols);
                }
            }
        }
    }

    @Override
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        if (activation == Activation.RELU || activation == Activation.LINEAR) {
            // the ReLU backward runs per sample inside the parallel pass (no batch-sized copy)
            return backwardImpl(outputGradient.data(), activation == Activation.RELU, context, true);
        }
        return super.backward(outputGradient, context);
    }

    @Override
    public Tensor backwardFromLogits(Tensor logitGradient, LayerContext context) {
        return backwardImpl(logitGradient.data(), false, context, true);
    }

    @Override
    public void backwardParameters(Tensor outputGradient, LayerContext context) {
        if (activation == Activation.RELU || activation == Activation.LINEAR) {
            backwardImpl(outputGradient.data(), activation == Activation.RELU, context, false);
        } else {
            backward(outputGradient, context);
        }
    }

    /**
     * Backward from {@code dzIn}: the gradient at the outputs ({@code relu}) or at the logits; the
     * input gradient (else null) when {@code inputGradient}.
     */
    private Tensor backwardImpl(float[] dzIn, boolean relu, LayerContext context, boolean inputGradient) {
        if (fullRows) {
            return backwardInFullRows(dzIn, relu, context, inputGradient);
        }
        Tensor output = lastOutput();
        requireForward(input, type());
        int n = output.batchSize();
        float[] xs = input.data();
        int hw = g.outSize();
        int sampleRows = groupRows * groups;
        int inSize = inputShape().size();
        int outSize = filters * hw;
        float[] y = output.data();
        float[] w = kernel.value().data();
        boolean kernelGrad = kernel.trainable();
        boolean biasGrad = bias != null && bias.trainable();
        int chunks = (n + CHUNK - 1) / CHUNK;
        float[][] dW = new float[chunks][];
        float[][] dB = new float[chunks][];
        float[] dx = !inputGradient ? null : context.training()
                ? trainingInputGradient = reuse(trainingInputGradient, n * inSize) : new float[n * inSize];
        Parallel.forEach(chunks, context.threads(), c -> {
            float[] pw = kernelGrad ? new float[w.length] : null;
            float[] pb = biasGrad ? new float[filters] : null;
            int band = sampleRows * bandRows * g.outW();
            float[] cols = kernelGrad ? Scratch.floats(Scratch.Slot.IM2COL, band) : null;
            float[] dcol = inputGradient ? Scratch.floats(Scratch.Slot.COL_GRADIENT, band) : null;
            float[] dz = relu ? Scratch.floats(Scratch.Slot.OUTPUT_GRADIENT, outSize) : dzIn;
            for (int s = c * CHUNK; s < Math.min(n, (c + 1) * CHUNK); s++) {
                int sampleOff = relu ? 0 : s * outSize;
                if (relu) {
                    Elementwise.reluBackwardInto(y, dzIn, s * outSize, dz, 0, outSize);
                }
                if (dx != null) {
                    java.util.Arrays.fill(dx, s * inSize, (s + 1) * inSize, 0f);
                }
                // band by band: the kernel gradient's inner dimension runs over the bands in order
                for (int oy0 = 0; oy0 < g.outH(); oy0 += bandRows) {
                    int oy1 = Math.min(g.outH(), oy0 + bandRows);
                    int bw = (oy1 - oy0) * g.outW();
                    if (cols != null) {
                        g.im2col(xs, s * inSize, 0, g.channels(), oy0, oy1, cols, 0);
                    }
                    bandGradients(cols, bw, dz, sampleOff + oy0 * g.outW(), hw, w, pw, dcol);
                    if (dcol != null) {
                        g.col2im(dcol, 0, 0, g.channels(), oy0, oy1, dx, s * inSize);
                    }
                }
                if (pb != null) {
                    addRowSums(dz, sampleOff, hw, filters, pb);
                }
            }
            dW[c] = pw;
            dB[c] = pb;
        });
        sumChunks(dW, dB, chunks, context);
        return dx == null ? null : Tensor.of(inputShape().withBatch(n), dx);
    }

    /**
     * {@link #backwardImpl} in full input rows ({@link #fullRowColumns}): each sample's output gradient
     * is spread to the full-row columns (zeros at the columns that are not outputs, so they add nothing),
     * the products run on the full-row unfolding, and its adjoint adds contiguous runs into the input
     * gradient (no scattered col2im).
     */
    private Tensor backwardInFullRows(float[] dzIn, boolean relu, LayerContext context, boolean inputGradient) {
        Tensor output = lastOutput();
        requireForward(input, type());
        int n = output.batchSize();
        float[] xs = input.data();
        int hw = g.outSize();
        int sampleRows = groupRows * groups;
        int inSize = inputShape().size();
        int outSize = filters * hw;
        int inW = g.inW();
        int outW = g.outW();
        int outH = g.outH();
        int span = fullRowColumns(0, outH);
        float[] y = output.data();
        float[] w = kernel.value().data();
        boolean kernelGrad = kernel.trainable();
        boolean biasGrad = bias != null && bias.trainable();
        int chunks = (n + CHUNK - 1) / CHUNK;
        float[][] dW = new float[chunks][];
        float[][] dB = new float[chunks][];
        float[] dx = !inputGradient ? null : context.training()
                ? trainingInputGradient = reuse(trainingInputGradient, n * inSize) : new float[n * inSize];
        Parallel.forEach(chunks, context.threads(), c -> {
            float[] pw = kernelGrad ? new float[w.length] : null;
            float[] pb = biasGrad ? new float[filters] : null;
            int band = sampleRows * fullRowColumns(0, Math.min(outH, bandRows));
            float[] cols = kernelGrad ? Scratch.floats(Scratch.Slot.IM2COL, band) : null;
            float[] dcol = inputGradient ? Scratch.floats(Scratch.Slot.COL_GRADIENT, band) : null;
            float[] dz = Scratch.floats(Scratch.Slot.OUTPUT_GRADIENT, filters * span);
            // the columns that are not outputs: zero once, the samples below write only the outputs
            for (int f = 0; f < filters; f++) {
                for (int oy = 0; oy + 1 < outH; oy++) {
                    java.util.Arrays.fill(dz, f * span + oy * inW + outW, f * span + (oy + 1) * inW, 0f);
                }
            }
            for (int s = c * CHUNK; s < Math.min(n, (c + 1) * CHUNK); s++) {
                for (int f = 0; f < filters; f++) {
                    int from = s * outSize + f * hw;
                    if (relu) {
                        Elementwise.reluBackwardRows(y, dzIn, from, outW, dz, f * span, inW, outH, outW);
                    } else {
                        Elementwise.copyRows(dzIn, from, outW, dz, f * span, inW, outH, outW);
                    }
                }
                if (dx != null) {
                    java.util.Arrays.fill(dx, s * inSize, (s + 1) * inSize, 0f);
                }
                for (int oy0 = 0; oy0 < outH; oy0 += bandRows) {
                    int oy1 = Math.min(outH, oy0 + bandRows);
                    int bc = fullRowColumns(oy0, oy1);
                    if (cols != null) {
                        unfoldFullRows(xs, s * inSize, oy0, bc, cols);
                    }
                    bandGradients(cols, bc, dz, oy0 * inW, span, w, pw, dcol);
                    if (dcol != null) {
                        foldFullRows(dcol, bc, oy0, dx, s * inSize);
                    }
                }
                if (pb != null) {
                    addRowSums(dz, 0, span, filters, pb);
                }
            }
            dW[c] = pw;
            dB[c] = pb;
        });
        sumChunks(dW, dB, chunks, context);
        return dx == null ? null : Tensor.of(inputShape().withBatch(n), dx);
    }

    /**
     * One band's gradient products for every group, each one OpenBLAS call (or the Java kernel) on this thread:
     * the kernel gradient transposed, {@code [group][rows][filters]}, as {@code cols} (in place) times
     * {@code dz^T} (small to pack) instead of {@code dz} times {@code cols^T} (large to pack), added into
     * {@code pw}; and the unfolded input gradient {@code w^T dz} into {@code dcol}. The band's {@code bc}
     * columns of {@code dz} start at {@code dzBand}, its filters' rows {@code dzLd} apart; {@code pw} or
     * {@code dcol} null: not wanted.
     */
    private void bandGradients(float[] cols, int bc, float[] dz, int dzBand, int dzLd, float[] w, float[] pw,
                               float[] dcol) {
        for (int gr = 0; gr < groups; gr++) {
            int dzOff = dzBand + gr * groupFilters * dzLd;
            if (pw != null) {
                Sgemm.gemmWhole(false, true, groupRows, groupFilters, bc, cols, gr * groupRows * bc, bc,
                        dz, dzOff, dzLd, pw, gr * groupRows * groupFilters, groupFilters, true);
            }
            if (dcol != null) {
                Sgemm.gemmWhole(true, false, groupRows, bc, groupFilters, w, gr * groupFilters * groupRows,
                        groupRows, dz, dzOff, dzLd, dcol, gr * groupRows * bc, bc, false);
            }
        }
    }

    /** Adds the chunks' partial kernel (transposed) and bias gradients into the parameters' gradients, in chunk order. */
    private void sumChunks(float[][] dW, float[][] dB, int chunks, LayerContext context) {
        if (kernel.trainable()) {
            // each element sums the chunks in chunk order; threads split the filters
            float[] into = kernel.gradient().data();
            Parallel.forEach((filters + 7) / 8, context.threads(), t -> {
                for (int c = 0; c < chunks; c++) {
                    addTransposed(into, dW[c], t * 8, Math.min(filters, (t + 1) * 8));
                }
            });
        }
        if (bias != null && bias.trainable()) {
            for (int c = 0; c < chunks; c++) {
                add(bias.gradient().data(), dB[c]);
            }
        }
    }

    /**
     * {@code into[f] += sum(x[off + f * len ..][0 .. len))} for {@code f < rows}, each sum a sequential
     * left-to-right chain from 0; four rows' chains interleave so that the additions' latency overlaps
     * (the same bits as one row at a time).
     */
    static void addRowSums(float[] x, int off, int len, int rows, float[] into) {
        int f = 0;
        for (; f + 4 <= rows; f += 4) {
            int o0 = off + f * len;
            int o1 = o0 + len;
            int o2 = o1 + len;
            int o3 = o2 + len;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int i = 0; i < len; i++) {
                s0 += x[o0 + i];
                s1 += x[o1 + i];
                s2 += x[o2 + i];
                s3 += x[o3 + i];
            }
            into[f] += s0;
            into[f + 1] += s1;
            into[f + 2] += s2;
            into[f + 3] += s3;
        }
        for (; f < rows; f++) {
            int o = off + f * len;
            float sum = 0;
            for (int i = 0; i < len; i++) {
                sum += x[o + i];
            }
            into[f] += sum;
        }
    }

    /**
     * {@code into[(gr, f, r)] += transposed[(gr, r, f)]} for the filters {@code [f0, f1)} (numbered
     * across groups): a kernel gradient from its per-group transpose.
     */
    private void addTransposed(float[] into, float[] transposed, int f0, int f1) {
        for (int filter = f0; filter < f1; filter++) {
            int base = filter / groupFilters * groupFilters * groupRows;
            int f = filter % groupFilters;
            int dst = base + f * groupRows;
            for (int r = 0; r < groupRows; r++) {
                into[dst + r] += transposed[base + r * groupFilters + f];
            }
        }
    }

    static void add(float[] into, float[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }
}
