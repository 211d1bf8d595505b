package org.modelbench.app.run;

import java.util.SplittableRandom;
import org.modelbench.api.Augmenter;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.app.manifest.Augmentation;

/**
 * The manifest's {@link Augmentation} as an {@link Augmenter} of image batches {@code [N, C, H, W]}.
 * Each image draws, in this order and always all five from one {@link SplittableRandom} seeded with
 * the batch seed: horizontal shift, vertical shift, angle, scale, flip. Output pixels are sampled
 * from the source by inverse mapping with bilinear interpolation (whole-pixel shifts alone copy
 * pixels exactly); pixels that fall outside take the channel's fill value.
 */
public final class ImageAugmenter implements Augmenter {
    private final Augmentation settings;
    private final float[] fill;

    /**
     * @param settings the transforms; must be enabled
     * @param fill     per channel, the value of uncovered pixels (a raw 0 after preprocessing)
     */
    public ImageAugmenter(Augmentation settings, float[] fill) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("augmentation is off");
        }
        this.settings = settings;
        this.fill = fill.clone();
    }

    @Override
    public Tensor augment(Tensor batch, long seed) {
        Shape shape = batch.shape();
        if (shape.rank() != 4 || shape.dim(1) != fill.length) {
            throw new InvalidInputException("augmentation needs image batches [N, " + fill.length + ", H, W], got "
                    + shape);
        }
        int n = shape.dim(0);
        int c = shape.dim(1);
        int h = shape.dim(2);
        int w = shape.dim(3);
        float[] src = batch.data();
        float[] out = new float[src.length];
        SplittableRandom random = new SplittableRandom(seed);
        int s = settings.maxShift();
        for (int i = 0; i < n; i++) {
            int dx = random.nextInt(2 * s + 1) - s;
            int dy = random.nextInt(2 * s + 1) - s;
            double angle = Math.toRadians((random.nextDouble() * 2 - 1) * settings.maxRotation());
            double scale = 1 + (random.nextDouble() * 2 - 1) * settings.maxZoom();
            boolean flip = random.nextBoolean() && settings.horizontalFlip();
            transform(src, out, i * c * h * w, c, h, w, dx, dy, angle, scale, flip);
        }
        return Tensor.of(shape, out);
    }

    private void transform(float[] src, float[] out, int base, int c, int h, int w, int dx, int dy, double angle,
                           double scale, boolean flip) {
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        boolean exact = angle == 0 && scale == 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // undo the shift, the rotation (by -angle), the zoom, then the flip
                double u = x - dx - cx;
                double v = y - dy - cy;
                double ru = (cos * u + sin * v) / scale;
                double rv = (-sin * u + cos * v) / scale;
                if (flip) {
                    ru = -ru;
                }
                double sx = ru + cx;
                double sy = rv + cy;
                for (int ch = 0; ch < c; ch++) {
                    int plane = base + ch * h * w;
                    out[plane + y * w + x] = exact ? pixel(src, plane, h, w, (int) Math.round(sx), (int) Math.round(sy),
                            fill[ch]) : bilinear(src, plane, h, w, sx, sy, fill[ch]);
                }
            }
        }
    }

    private static float pixel(float[] src, int plane, int h, int w, int x, int y, float fill) {
        return x < 0 || y < 0 || x >= w || y >= h ? fill : src[plane + y * w + x];
    }

    private static float bilinear(float[] src, int plane, int h, int w, double x, double y, float fill) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double top = pixel(src, plane, h, w, x0, y0, fill) * (1 - fx) + pixel(src, plane, h, w, x0 + 1, y0, fill) * fx;
        double bottom = pixel(src, plane, h, w, x0, y0 + 1, fill) * (1 - fx)
                + pixel(src, plane, h, w, x0 + 1, y0 + 1, fill) * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    /** {@code data}'s rows followed by {@code copies} augmented copies of them (for trainers without per-batch augmentation). */
    static org.modelbench.api.Dataset withCopies(org.modelbench.api.Dataset data, ImageAugmenter augmenter, int copies,
                                                  long seed) {
        int n = data.size();
        int stride = data.sampleShape().size();
        float[] out = new float[(copies + 1) * n * stride];
        int[] labels = new int[(copies + 1) * n];
        System.arraycopy(data.features().data(), 0, out, 0, n * stride);
        for (int copy = 0; copy <= copies; copy++) {
            System.arraycopy(data.labels(), 0, labels, copy * n, n);
            if (copy > 0) {
                Tensor t = augmenter.augment(data.features(), org.modelbench.api.RunContext.mix(seed + copy));
                System.arraycopy(t.data(), 0, out, copy * n * stride, n * stride);
            }
        }
        return new org.modelbench.api.Dataset(data.name(), Tensor.of(data.sampleShape().withBatch((copies + 1) * n),
                out), labels, data.classNames(), data.metadata());
    }
}
