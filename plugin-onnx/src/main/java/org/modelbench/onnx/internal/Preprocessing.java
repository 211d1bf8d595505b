package org.modelbench.onnx.internal;

import java.util.List;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.onnx.config.PreprocessingConfig;

/**
 * Applies a {@link PreprocessingConfig} to NCHW batches (the result stays NCHW). Samples of other
 * ranks (sequences {@code [C, L]}, table rows {@code [F]}) take {@code scale}, {@code mean} and
 * {@code std} along axis 0 and keep their shape; {@code resize}, {@code greyToRgb} and {@code nhwc}
 * need images.
 */
public final class Preprocessing {
    private Preprocessing() {
    }

    /** The per-sample CHW shape after preprocessing a {@code sample} shape. */
    public static Shape outputShape(PreprocessingConfig config, Shape sample) {
        if (sample.rank() != 3) {
            if (config.resize() != null || config.greyToRgb() || config.nhwc()) {
                throw new InvalidInputException("ONNX preprocessing: resize, greyToRgb and layout nhwc need CHW image "
                        + "samples, got " + sample);
            }
            return sample;
        }
        int c = config.greyToRgb() ? 3 : sample.dim(0);
        if (config.greyToRgb() && sample.dim(0) != 1) {
            throw new InvalidInputException("preprocessing.greyToRgb needs single-channel images, got " + sample);
        }
        int h = config.resize() == null ? sample.dim(1) : config.resize().get(0);
        int w = config.resize() == null ? sample.dim(2) : config.resize().get(1);
        return Shape.of(c, h, w);
    }

    /** Preprocesses a batch {@code [N, C, H, W]}. */
    public static Tensor apply(PreprocessingConfig config, Tensor batch) {
        Shape sample = batch.shape().withoutBatch();
        Shape out = outputShape(config, sample);
        if (sample.rank() != 3) {
            return perChannel(config, batch, sample);
        }
        int n = batch.batchSize();
        int c0 = sample.dim(0);
        int h0 = sample.dim(1);
        int w0 = sample.dim(2);
        int c = out.dim(0);
        int h = out.dim(1);
        int w = out.dim(2);
        checkChannels(config.mean(), c, "mean");
        checkChannels(config.std(), c, "std");
        float[] x = batch.data();
        float[] y = new float[n * out.size()];
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                int srcPlane = (s * c0 + (c0 == 1 ? 0 : ch)) * h0 * w0;
                int dstPlane = (s * c + ch) * h * w;
                float mean = config.mean().isEmpty() ? 0f : config.mean().get(config.mean().size() == 1 ? 0 : ch);
                float std = config.std().isEmpty() ? 1f : config.std().get(config.std().size() == 1 ? 0 : ch);
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        float v = h == h0 && w == w0 ? x[srcPlane + i * w0 + j] : bilinear(x, srcPlane, h0, w0, i, j, h, w);
                        y[dstPlane + i * w + j] = (v * config.scale() - mean) / std;
                    }
                }
            }
        }
        return Tensor.of(out.withBatch(n), y);
    }

    /** {@code (x * scale - mean[c]) / std[c]} with {@code c} the index along axis 0 of each sample. */
    private static Tensor perChannel(PreprocessingConfig config, Tensor batch, Shape sample) {
        int c = sample.dim(0);
        int per = sample.size() / c;
        checkChannels(config.mean(), c, "mean");
        checkChannels(config.std(), c, "std");
        float[] x = batch.data();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / per) % c;
            float mean = config.mean().isEmpty() ? 0f : config.mean().get(config.mean().size() == 1 ? 0 : ch);
            float std = config.std().isEmpty() ? 1f : config.std().get(config.std().size() == 1 ? 0 : ch);
            y[i] = (x[i] * config.scale() - mean) / std;
        }
        return Tensor.of(batch.shape(), y);
    }

    private static void checkChannels(List<Float> values, int channels, String key) {
        if (values.size() > 1 && values.size() != channels) {
            throw new InvalidInputException("preprocessing." + key + " has " + values.size() + " values but the "
                    + "preprocessed images have " + channels + " channels");
        }
    }

    /** Bilinear sampling with half-pixel centres (as TensorFlow's resize and ONNX Resize's default). */
    private static float bilinear(float[] x, int plane, int h0, int w0, int i, int j, int h, int w) {
        double sy = Math.max(0, (i + 0.5) * h0 / h - 0.5);
        double sx = Math.max(0, (j + 0.5) * w0 / w - 0.5);
        int y0 = Math.min((int) sy, h0 - 1);
        int x0 = Math.min((int) sx, w0 - 1);
        int y1 = Math.min(y0 + 1, h0 - 1);
        int x1 = Math.min(x0 + 1, w0 - 1);
        double fy = sy - y0;
        double fx = sx - x0;
        double top = x[plane + y0 * w0 + x0] * (1 - fx) + x[plane + y0 * w0 + x1] * fx;
        double bottom = x[plane + y1 * w0 + x0] * (1 - fx) + x[plane + y1 * w0 + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    /** {@code [N, C, H, W]} to {@code [N, H, W, C]}. */
    public static Value toNhwc(Tensor batch) {
        int[] d = batch.shape().dims();
        int n = d[0];
        int c = d[1];
        int hw = d[2] * d[3];
        float[] x = batch.data();
        float[] y = new float[x.length];
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < hw; i++) {
                    y[(s * hw + i) * c + ch] = x[(s * c + ch) * hw + i];
                }
            }
        }
        return Value.floats(new int[] {n, d[2], d[3], c}, y);
    }

    /** {@code [N, H, W, C]} back to {@code [N, C, H, W]} (the adjoint of {@link #toNhwc}), given the NCHW dims. */
    public static Tensor fromNhwc(Value nhwc, int[] nchw) {
        int n = nchw[0];
        int c = nchw[1];
        int hw = nchw[2] * nchw[3];
        float[] x = nhwc.floatData();
        float[] y = new float[x.length];
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < hw; i++) {
                    y[(s * c + ch) * hw + i] = x[(s * hw + i) * c + ch];
                }
            }
        }
        return Tensor.of(Shape.of(nchw), y);
    }

    /**
     * The gradient with respect to a raw batch given the gradient with respect to its preprocessed
     * form (the adjoint of {@link #apply}): through scale, mean and std, summing the channels that
     * greyToRgb copied, and back through the bilinear resize (each output pixel's gradient goes to
     * the four source pixels it was sampled from, with the same weights).
     *
     * @param raw      the raw batch shape {@code [N, C0, H, W]}
     * @param gradient {@code [N, C, H', W']}, the gradient with respect to {@code apply(config, batch)}
     */
    public static Tensor gradientToRaw(PreprocessingConfig config, Shape raw, Tensor gradient) {
        Shape sample = raw.withoutBatch();
        Shape out = outputShape(config, sample);
        if (sample.rank() != 3) {
            int c = sample.dim(0);
            int per = sample.size() / c;
            float[] g = gradient.data();
            float[] dx = new float[raw.size()];
            for (int i = 0; i < dx.length; i++) {
                int ch = (i / per) % c;
                float std = config.std().isEmpty() ? 1f : config.std().get(config.std().size() == 1 ? 0 : ch);
                dx[i] = g[i] * (config.scale() / std);
            }
            return Tensor.of(raw, dx);
        }
        int n = raw.dim(0);
        int c0 = sample.dim(0);
        int h0 = sample.dim(1);
        int w0 = sample.dim(2);
        int c = out.dim(0);
        int h = out.dim(1);
        int w = out.dim(2);
        boolean resized = h != h0 || w != w0;
        float[] g = gradient.data();
        float[] dx = new float[raw.size()];
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                float std = config.std().isEmpty() ? 1f : config.std().get(config.std().size() == 1 ? 0 : ch);
                float factor = config.scale() / std;
                int src = (s * c + ch) * h * w;
                int dst = (s * c0 + (c0 == 1 ? 0 : ch)) * h0 * w0;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        float gv = g[src + i * w + j] * factor;
                        if (!resized) {
                            dx[dst + i * w0 + j] += gv;
                        } else {
                            bilinearAdjoint(dx, dst, h0, w0, i, j, h, w, gv);
                        }
                    }
                }
            }
        }
        return Tensor.of(raw, dx);
    }

    /** Adds {@code g} to the four source pixels that {@link #bilinear} reads for output pixel (i, j). */
    private static void bilinearAdjoint(float[] dx, int plane, int h0, int w0, int i, int j, int h, int w, float g) {
        double sy = Math.max(0, (i + 0.5) * h0 / h - 0.5);
        double sx = Math.max(0, (j + 0.5) * w0 / w - 0.5);
        int y0 = Math.min((int) sy, h0 - 1);
        int x0 = Math.min((int) sx, w0 - 1);
        int y1 = Math.min(y0 + 1, h0 - 1);
        int x1 = Math.min(x0 + 1, w0 - 1);
        double fy = sy - y0;
        double fx = sx - x0;
        dx[plane + y0 * w0 + x0] += (float) (g * (1 - fy) * (1 - fx));
        dx[plane + y0 * w0 + x1] += (float) (g * (1 - fy) * fx);
        dx[plane + y1 * w0 + x0] += (float) (g * fy * (1 - fx));
        dx[plane + y1 * w0 + x1] += (float) (g * fy * fx);
    }

    /** Checks the preprocessed sample shape against the model's declared input dims. */
    public static void checkAgainstModel(OnnxModelFile model, Shape chw, boolean nhwc, String key) {
        List<OnnxModelFile.Port> inputs = model.inputs();
        if (inputs.size() != 1) {
            throw new InvalidInputException(model.path() + ": expected a model with one input, found "
                    + inputs.stream().map(OnnxModelFile.Port::name).toList());
        }
        OnnxModelFile.Port port = inputs.get(0);
        int[] d = port.dims();
        int[] expect = nhwc ? new int[] {chw.dim(1), chw.dim(2), chw.dim(0)} : chw.dims();
        boolean ok = d.length == expect.length + 1;
        for (int i = 1; ok && i < d.length; i++) {
            ok = d[i] < 0 || d[i] == expect[i - 1];
        }
        if (!ok) {
            throw new InvalidInputException(model.path() + ": input '" + port.name() + "' is "
                    + java.util.Arrays.toString(d).replace("-1", "?") + " but the manifest's " + key
                    + " gives samples of " + (nhwc ? "HWC " : chw.rank() == 3 ? "CHW " : "") + java.util.Arrays.toString(expect)
                    + " (check preprocessing.resize, greyToRgb and layout)");
        }
    }
}
