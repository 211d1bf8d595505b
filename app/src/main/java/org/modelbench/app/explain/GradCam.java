package org.modelbench.app.explain;

import org.modelbench.api.InspectableModel;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * Grad-CAM (Selvaraju et al. 2017): the class-discriminative map of a convolutional layer,
 * {@code ReLU(sum_k alpha_k A_k)} with {@code alpha_k} the spatial mean of the class score's gradient
 * with respect to channel {@code k}, resized bilinearly to the input's height and width and scaled so
 * that its largest value is 1 (all zeros when nothing is positive).
 *
 * <p>Placement: a {@code h}-row map of an {@code H}-row input is taken to have stride
 * {@code s = floor(H / h)} and to be centred, as after valid convolutions and pooling (which crop
 * the borders): map row {@code j} sits at input row {@code (H - s h) / 2 + (j + 1/2) s - 1/2}; input
 * rows beyond the first or last map row take that row's value. Likewise for columns.
 */
public final class GradCam {
    private GradCam() {
    }

    /**
     * The default Grad-CAM layer: the last convolution (a layer whose type names {@code conv}), as in
     * the paper, else the last layer whose outputs are feature maps {@code [C, H, W]}.
     */
    public static String defaultLayer(InspectableModel model) {
        String found = null;
        String conv = null;
        for (String layer : model.layerNames()) {
            if (model.layerShape(layer).rank() == 3) {
                found = layer;
                if (model.layerType(layer).toLowerCase(java.util.Locale.ROOT).contains("conv")) {
                    conv = layer;
                }
            }
        }
        if (conv != null) {
            return conv;
        }
        if (found == null) {
            throw new InvalidInputException("model " + model.familyId() + " has no layer with feature maps [C, H, W] "
                    + "(layers " + model.layerNames() + "); Grad-CAM needs a convolutional layer");
        }
        return found;
    }

    /**
     * The heatmaps of a batch.
     *
     * @param batch   model inputs {@code [N, C, H, W]}
     * @param layer   a layer with outputs {@code [K, h, w]}
     * @param classes the class of each row whose score is explained
     * @return {@code [N, H, W]}, values in [0, 1]
     */
    public static Tensor heatmaps(InspectableModel model, Tensor batch, String layer, int[] classes) {
        Shape maps = model.layerShape(layer);
        if (maps.rank() != 3) {
            throw new InvalidInputException("layer '" + layer + "' outputs " + maps + "; Grad-CAM needs feature maps "
                    + "[C, H, W]");
        }
        InspectableModel.LayerGradient lg = model.classScoreGradient(batch, layer, classes);
        int n = batch.batchSize();
        int k = maps.dim(0);
        int area = maps.dim(1) * maps.dim(2);
        int outH = batch.shape().dim(2);
        int outW = batch.shape().dim(3);
        float[] a = lg.activations().data();
        float[] g = lg.gradient().data();
        float[] out = new float[n * outH * outW];
        for (int i = 0; i < n; i++) {
            double[] cam = new double[area];
            for (int c = 0; c < k; c++) {
                int o = (i * k + c) * area;
                double alpha = 0;
                for (int p = 0; p < area; p++) {
                    alpha += g[o + p];
                }
                alpha /= area;
                for (int p = 0; p < area; p++) {
                    cam[p] += alpha * a[o + p];
                }
            }
            float[] resized = resize(cam, maps.dim(1), maps.dim(2), outH, outW);
            float max = 0;
            for (float v : resized) {
                max = Math.max(max, v);
            }
            for (int p = 0; p < resized.length; p++) {
                out[i * outH * outW + p] = max > 0 ? Math.max(0, resized[p]) / max : 0f;
            }
        }
        return Tensor.of(Shape.of(n, outH, outW), out);
    }

    /** Bilinear resize of an {@code h x w} map (ReLU applied first), placed as the class comment says. */
    static float[] resize(double[] map, int h, int w, int outH, int outW) {
        float[] out = new float[outH * outW];
        int strideY = Math.max(1, outH / h);
        int strideX = Math.max(1, outW / w);
        double offsetY = (outH - (double) strideY * h) / 2;
        double offsetX = (outW - (double) strideX * w) / 2;
        for (int y = 0; y < outH; y++) {
            double sy = Math.max(0, Math.min(h - 1, (y + 0.5 - offsetY) / strideY - 0.5));
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(h - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = Math.max(0, Math.min(w - 1, (x + 0.5 - offsetX) / strideX - 0.5));
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(w - 1, x0 + 1);
                double fx = sx - x0;
                double top = relu(map[y0 * w + x0]) * (1 - fx) + relu(map[y0 * w + x1]) * fx;
                double bottom = relu(map[y1 * w + x0]) * (1 - fx) + relu(map[y1 * w + x1]) * fx;
                out[y * outW + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    private static double relu(double v) {
        return Math.max(0, v);
    }

    /**
     * The share of a heatmap's mass inside the bounding box of the pixels above {@code threshold} in
     * {@code image} ({@code [H, W]}), grown by {@code margin} pixels; NaN when the heatmap is all zero.
     */
    public static double massInBoundingBox(float[] heatmap, float[] image, int h, int w, float threshold, int margin) {
        int top = h;
        int bottom = -1;
        int left = w;
        int right = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (image[y * w + x] > threshold) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        double inside = 0;
        double total = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = heatmap[y * w + x];
                total += v;
                if (y >= top - margin && y <= bottom + margin && x >= left - margin && x <= right + margin) {
                    inside += v;
                }
            }
        }
        return total > 0 ? inside / total : Double.NaN;
    }
}
