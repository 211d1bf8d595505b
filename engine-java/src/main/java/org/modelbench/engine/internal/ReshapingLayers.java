package org.modelbench.engine.internal;

import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/** Layers that only move or average values: flatten and global average pooling. */
final class ReshapingLayers {
    private ReshapingLayers() {
    }

    /** {@code [N, ...]} to {@code [N, prod(...)]}, sharing the array. */
    static final class Flatten extends BaseLayer {
        Flatten(Shape inputShape) {
            super("flatten", inputShape, Shape.of(inputShape.size()), List.of());
        }

        @Override
        public Tensor forward(Tensor input, LayerContext context) {
            return input.reshape(outputBatch(checkInput(input)));
        }

        @Override
        public Tensor backward(Tensor outputGradient, LayerContext context) {
            return outputGradient.reshape(inputShape().withBatch(outputGradient.batchSize()));
        }
    }

    /** {@code [N, C, H, W]} to {@code [N, C]}: the mean of each channel. */
    static final class GlobalAvgPool extends BaseLayer {
        GlobalAvgPool(Shape inputShape) {
            super("global-avgpool", inputShape, Shape.of(inputShape.dim(0)), List.of());
        }

        @Override
        public Tensor forward(Tensor input, LayerContext context) {
            int n = checkInput(input);
            int c = inputShape().dim(0);
            int area = inputShape().size() / c;
            float[] x = input.data();
            float[] y = new float[n * c];
            for (int p = 0; p < n * c; p++) {
                double sum = 0;
                for (int i = 0; i < area; i++) {
                    sum += x[p * area + i];
                }
                y[p] = (float) (sum / area);
            }
            return Tensor.of(outputBatch(n), y);
        }

        @Override
        public Tensor backward(Tensor outputGradient, LayerContext context) {
            int n = outputGradient.batchSize();
            int c = inputShape().dim(0);
            int area = inputShape().size() / c;
            float[] dy = outputGradient.data();
            float[] dx = new float[n * c * area];
            for (int p = 0; p < n * c; p++) {
                java.util.Arrays.fill(dx, p * area, (p + 1) * area, dy[p] / area);
            }
            return Tensor.of(inputShape().withBatch(n), dx);
        }
    }
}
