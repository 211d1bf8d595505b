package org.modelbench.app.explain;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.modelbench.api.InspectableModel;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/** The pictures of {@code modelbench explain} and of each inspectable trial in a report. */
public final class Pictures {
    /** A trial's Grad-CAM picture of its first test images. */
    public static final String GRADCAM = "gradcam.png";
    /** A trial's picture of every channel of the Grad-CAM layer for its first test image. */
    public static final String ACTIVATIONS = "activations.png";
    private static final int TRIAL_IMAGES = 6;

    private Pictures() {
    }

    /** Every channel of row {@code row} of a layer's outputs as a tile ({@code [C, H, W]}), or a vector as one square tile. */
    public static BufferedImage activationGrid(Tensor activations, int row, Shape layerShape) {
        int size = layerShape.size();
        float[] values = new float[size];
        System.arraycopy(activations.data(), row * size, values, 0, size);
        List<float[]> tiles = new ArrayList<>();
        int h;
        int w;
        if (layerShape.rank() == 3) {
            int c = layerShape.dim(0);
            h = layerShape.dim(1);
            w = layerShape.dim(2);
            for (int ch = 0; ch < c; ch++) {
                float[] tile = new float[h * w];
                System.arraycopy(values, ch * h * w, tile, 0, h * w);
                tiles.add(tile);
            }
        } else {
            w = (int) Math.ceil(Math.sqrt(size));
            h = (size + w - 1) / w;
            float[] tile = new float[h * w];
            System.arraycopy(values, 0, tile, 0, size);
            tiles.add(tile);
        }
        int columns = (int) Math.ceil(Math.sqrt(tiles.size()));
        return Images.grid(tiles, h, w, columns, Images.zoomFor(Math.max(h, w)), true);
    }

    /**
     * Grad-CAM overlays, one row per image (input, heatmap, overlay).
     *
     * @param pixels  the images in pixel space [0, 1], {@code [N, C, H, W]} (the first channel is shown)
     * @param batch   the same images as model inputs
     * @param classes the explained class of each row
     */
    public static BufferedImage gradCam(InspectableModel model, Tensor pixels, Tensor batch, String layer,
                                        int[] classes) {
        Tensor heat = GradCam.heatmaps(model, batch, layer, classes);
        Shape s = pixels.shape();
        int h = s.dim(2);
        int w = s.dim(3);
        int sampleSize = s.size() / s.dim(0);
        List<float[]> inputs = new ArrayList<>();
        List<float[]> heatmaps = new ArrayList<>();
        for (int i = 0; i < s.dim(0); i++) {
            float[] in = new float[h * w];
            float[] map = new float[h * w];
            System.arraycopy(pixels.data(), i * sampleSize, in, 0, h * w);
            System.arraycopy(heat.data(), i * h * w, map, 0, h * w);
            inputs.add(in);
            heatmaps.add(map);
        }
        return Images.overlays(inputs, heatmaps, h, w, Images.zoomFor(Math.max(h, w)));
    }

    /**
     * Writes {@value #GRADCAM} (the first test images, predicted classes) and {@value #ACTIVATIONS}
     * (the Grad-CAM layer for the first test image) into {@code directory}, when the model has
     * feature maps; returns the Grad-CAM layer used.
     *
     * @param test  preprocessed test rows {@code [N, C, H, W]}
     * @param space the model's pixel space
     */
    public static Optional<String> writeTrialPictures(InspectableModel model, Tensor test, PixelSpace space,
                                                      Path directory) {
        if (test.shape().rank() != 4 || model.layerNames().stream().noneMatch(l -> model.layerShape(l).rank() == 3)) {
            return Optional.empty();
        }
        String layer = GradCam.defaultLayer(model);
        Tensor batch = test.slice(0, Math.min(TRIAL_IMAGES, test.batchSize()));
        Images.write(gradCam(model, space.toPixels(batch), batch, layer, model.predict(batch)),
                directory.resolve(GRADCAM));
        Images.write(activationGrid(model.activations(batch.slice(0, 1), layer), 0, model.layerShape(layer)),
                directory.resolve(ACTIVATIONS));
        return Optional.of(layer);
    }
}
