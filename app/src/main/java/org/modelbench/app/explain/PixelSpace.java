package org.modelbench.app.explain;

import org.modelbench.api.Tensor;
import org.modelbench.app.run.FittedPreprocessing;

/**
 * The map between pixel space (raw values divided by 255, valid range [0, 1], where attack radii
 * are defined) and a model's input space (after its fitted preprocessing):
 * {@code x = p * 255 / (rescale * std[c]) - mean[c] / std[c]} for channel {@code c}. The factor is
 * positive, so the sign of a gradient is the same in both spaces.
 */
public final class PixelSpace {
    private final double[] scale;
    private final double[] offset;

    private PixelSpace(double[] scale, double[] offset) {
        this.scale = scale;
        this.offset = offset;
    }

    /** The pixel space of a model trained with {@code preprocessing}. */
    public static PixelSpace of(FittedPreprocessing preprocessing) {
        int channels = preprocessing.mean().size();
        double[] scale = new double[channels];
        double[] offset = new double[channels];
        for (int c = 0; c < channels; c++) {
            double std = preprocessing.std().get(c);
            scale[c] = 255.0 / (preprocessing.rescale() * std);
            offset[c] = -preprocessing.mean().get(c) / std;
        }
        return new PixelSpace(scale, offset);
    }

    /** Pixels {@code [N, C, ...]} as model inputs (a new tensor). */
    public Tensor toModel(Tensor pixels) {
        return map(pixels, false);
    }

    /** Model inputs {@code [N, C, ...]} as pixels (a new tensor). */
    public Tensor toPixels(Tensor inputs) {
        return map(inputs, true);
    }

    private Tensor map(Tensor t, boolean inverse) {
        float[] a = t.data();
        float[] out = new float[a.length];
        int channels = scale.length;
        int perChannel = t.shape().size() / t.batchSize() / channels;
        for (int i = 0; i < a.length; i++) {
            int c = (i / perChannel) % channels;
            out[i] = (float) (inverse ? (a[i] - offset[c]) / scale[c] : a[i] * scale[c] + offset[c]);
        }
        return Tensor.of(t.shape(), out);
    }
}
