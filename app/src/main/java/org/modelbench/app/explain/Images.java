package org.modelbench.app.explain;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.ModelbenchException;

/**
 * PNG pictures of images, feature maps and heatmaps. Tiles are float maps {@code [h, w]}
 * (row-major), shown enlarged by an integer factor with nearest-neighbour pixels.
 */
public final class Images {
    /** The inferno colour map's anchors, from 0 (black) to 1 (pale yellow). */
    private static final int[] INFERNO = {0x000004, 0x320A5E, 0x781C6D, 0xBC3754, 0xED6925, 0xFBB61A, 0xFCFFA4};
    private static final int GAP = 2;
    private static final int BACKGROUND = 0x404040;

    private Images() {
    }

    /** The inferno colour of {@code v} in [0, 1] (clamped), as 0xRRGGBB. */
    public static int inferno(double v) {
        double t = Math.max(0, Math.min(1, v)) * (INFERNO.length - 1);
        int i = Math.min(INFERNO.length - 2, (int) Math.floor(t));
        double f = t - i;
        int a = INFERNO[i];
        int b = INFERNO[i + 1];
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - f) + ((b >> 16) & 0xFF) * f);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - f) + ((b >> 8) & 0xFF) * f);
        int bl = (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
        return (r << 16) | (g << 8) | bl;
    }

    /**
     * A grid of grey tiles, {@code columns} per row, each tile scaled from its own minimum (black) to
     * maximum (white), or drawn as given in [0, 1] when {@code normalise} is false.
     */
    public static BufferedImage grid(List<float[]> tiles, int h, int w, int columns, int zoom, boolean normalise) {
        int rows = (tiles.size() + columns - 1) / columns;
        BufferedImage image = canvas(columns, rows, h, w, zoom);
        for (int t = 0; t < tiles.size(); t++) {
            float[] tile = tiles.get(t);
            float min = 0;
            float max = 1;
            if (normalise) {
                min = Float.POSITIVE_INFINITY;
                max = Float.NEGATIVE_INFINITY;
                for (float v : tile) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            float range = max > min ? max - min : 1;
            int[] rgb = new int[h * w];
            for (int p = 0; p < rgb.length; p++) {
                int grey = (int) Math.round(255 * Math.max(0, Math.min(1, (tile[p] - min) / range)));
                rgb[p] = (grey << 16) | (grey << 8) | grey;
            }
            paint(image, rgb, h, w, zoom, t % columns, t / columns);
        }
        return image;
    }

    /**
     * One row per input: the input in grey, its heatmap in the inferno colours, and the heatmap
     * blended over the input (weight 0.6 at full heat).
     *
     * @param inputs   per input, grey values in [0, 1], {@code [h, w]}
     * @param heatmaps per input, values in [0, 1], {@code [h, w]}
     */
    public static BufferedImage overlays(List<float[]> inputs, List<float[]> heatmaps, int h, int w, int zoom) {
        BufferedImage image = canvas(3, inputs.size(), h, w, zoom);
        for (int i = 0; i < inputs.size(); i++) {
            float[] in = inputs.get(i);
            float[] heat = heatmaps.get(i);
            int[] grey = new int[h * w];
            int[] colour = new int[h * w];
            int[] blend = new int[h * w];
            for (int p = 0; p < grey.length; p++) {
                int g = (int) Math.round(255 * Math.max(0, Math.min(1, in[p])));
                grey[p] = (g << 16) | (g << 8) | g;
                colour[p] = inferno(heat[p]);
                double a = 0.6 * Math.max(0, Math.min(1, heat[p]));
                int r = (int) Math.round(g * (1 - a) + ((colour[p] >> 16) & 0xFF) * a);
                int gr = (int) Math.round(g * (1 - a) + ((colour[p] >> 8) & 0xFF) * a);
                int b = (int) Math.round(g * (1 - a) + (colour[p] & 0xFF) * a);
                blend[p] = (r << 16) | (gr << 8) | b;
            }
            paint(image, grey, h, w, zoom, 0, i);
            paint(image, colour, h, w, zoom, 1, i);
            paint(image, blend, h, w, zoom, 2, i);
        }
        return image;
    }

    private static BufferedImage canvas(int columns, int rows, int h, int w, int zoom) {
        int width = columns * (w * zoom + GAP) + GAP;
        int height = rows * (h * zoom + GAP) + GAP;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, BACKGROUND);
            }
        }
        return image;
    }

    private static void paint(BufferedImage image, int[] rgb, int h, int w, int zoom, int column, int row) {
        int x0 = GAP + column * (w * zoom + GAP);
        int y0 = GAP + row * (h * zoom + GAP);
        for (int y = 0; y < h * zoom; y++) {
            for (int x = 0; x < w * zoom; x++) {
                image.setRGB(x0 + x, y0 + y, rgb[(y / zoom) * w + x / zoom]);
            }
        }
    }

    /** An enlargement factor that makes a {@code size}-pixel side about 96 pixels (at least 1). */
    public static int zoomFor(int size) {
        return Math.max(1, 96 / Math.max(1, size));
    }

    /** {@code image} encoded as PNG. */
    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", bytes)) {
                throw new ModelbenchException("no PNG writer available");
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new ModelbenchException("cannot encode PNG: " + e.getMessage(), e);
        }
    }

    /** Writes {@code image} as a PNG file, atomically. */
    public static void write(BufferedImage image, Path file) {
        AtomicFiles.write(file, png(image));
    }
}
