package org.modelbench.app.run;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.modelbench.api.Augmenter;
import org.modelbench.api.Dataset;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.app.explain.Images;
import org.modelbench.app.explain.PixelSpace;

/**
 * The picture of a trial's augmentation ({@link Bundle#AUGMENTED_SAMPLES} in the trial folder, shown in the
 * report): one row per training image (the first {@value #ROWS}), the original first and then
 * {@value #VARIANTS} augmented variants as the first epochs' batches would draw them (first channel,
 * in pixel space).
 */
final class AugmentationPreview {

    private static final int ROWS = 8;
    private static final int VARIANTS = 5;

    private AugmentationPreview() {
    }

    static BufferedImage draw(Dataset train, Augmenter augmenter, FittedPreprocessing preprocessing, long seed) {
        int n = Math.min(ROWS, train.size());
        Tensor originals = train.features().slice(0, n);
        PixelSpace space = PixelSpace.of(preprocessing);
        RunContext seeds = new RunContext(seed, 1, List.of(), java.nio.file.Path.of("."));
        List<Tensor> columns = new ArrayList<>();
        columns.add(space.toPixels(originals));
        for (int v = 1; v <= VARIANTS; v++) {
            columns.add(space.toPixels(augmenter.augment(originals, seeds.augmentationSeed(v, 0))));
        }
        Shape sample = train.sampleShape();
        int h = sample.dim(1);
        int w = sample.dim(2);
        List<float[]> tiles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (Tensor column : columns) {
                float[] tile = new float[h * w];
                System.arraycopy(column.data(), i * sample.size(), tile, 0, h * w);
                tiles.add(tile);
            }
        }
        return Images.grid(tiles, h, w, columns.size(), Images.zoomFor(Math.max(h, w)) / 2 + 1, false);
    }
}
