package org.modelbench.engine.internal;

import java.util.ArrayList;
import java.util.List;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.graph.MultiInputLayer;

/** {@code add} (element-wise sum of equal shapes) and {@code concat} (along the channel axis, dim 0 of each sample). */
public final class MergeLayer extends BaseLayer implements MultiInputLayer {
    private final boolean add;
    private final List<Shape> inputs;

    private MergeLayer(boolean add, List<Shape> inputs, Shape output) {
        super(add ? "add" : "concat", inputs.get(0), output, List.of());
        this.add = add;
        this.inputs = List.copyOf(inputs);
    }

    /** An add of equal shapes, or a concat of shapes equal except in dim 0. */
    public static MergeLayer of(boolean add, List<Shape> inputs) {
        if (inputs.size() < 2) {
            throw new InvalidInputException((add ? "add" : "concat") + " needs at least 2 inputs, got " + inputs.size());
        }
        Shape first = inputs.get(0);
        int channels = 0;
        for (Shape s : inputs) {
            if (add && !s.equals(first)) {
                throw new InvalidInputException("add needs equal input shapes, got " + inputs);
            }
            if (!add) {
                if (s.rank() != first.rank() || !s.withoutBatch().equals(first.withoutBatch())) {
                    throw new InvalidInputException("concat needs inputs that differ only in their channels, got "
                            + inputs);
                }
                channels += s.dim(0);
            }
        }
        Shape out = first;
        if (!add) {
            int[] dims = first.dims();
            dims[0] = channels;
            out = new Shape(dims);
        }
        return new MergeLayer(add, inputs, out);
    }

    @Override
    public List<Shape> inputShapes() {
        return inputs;
    }

    @Override
    public Tensor forwardAll(List<Tensor> xs, LayerContext context) {
        if (xs.size() != inputs.size()) {
            throw new InvalidInputException(type() + " expects " + inputs.size() + " inputs, got " + xs.size());
        }
        int n = xs.get(0).batchSize();
        float[] y = new float[n * outputShape().size()];
        if (add) {
            for (Tensor x : xs) {
                float[] a = x.data();
                for (int i = 0; i < y.length; i++) {
                    y[i] += a[i];
                }
            }
        } else {
            int outSize = outputShape().size();
            int offset = 0;
            for (int k = 0; k < xs.size(); k++) {
                int size = inputs.get(k).size();
                for (int s = 0; s < n; s++) {
                    System.arraycopy(xs.get(k).data(), s * size, y, s * outSize + offset, size);
                }
                offset += size;
            }
        }
        return Tensor.of(outputBatch(n), y);
    }

    @Override
    public List<Tensor> backwardAll(Tensor outputGradient, LayerContext context) {
        int n = outputGradient.batchSize();
        List<Tensor> out = new ArrayList<>();
        if (add) {
            for (Shape s : inputs) {
                out.add(Tensor.of(s.withBatch(n), outputGradient.data().clone()));
            }
            return out;
        }
        int outSize = outputShape().size();
        int offset = 0;
        for (Shape shape : inputs) {
            int size = shape.size();
            float[] g = new float[n * size];
            for (int s = 0; s < n; s++) {
                System.arraycopy(outputGradient.data(), s * outSize + offset, g, s * size, size);
            }
            out.add(Tensor.of(shape.withBatch(n), g));
            offset += size;
        }
        return out;
    }
}
