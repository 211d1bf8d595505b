package org.modelbench.app.cli;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.data.IdxArray;
import org.modelbench.data.IdxReader;

/** Image inputs of {@code predict} and {@code explain}: an IDX images file or PNG files. */
final class InputImages {
    /** The widest and tallest input image read, in pixels. */
    static final int MAX_SIDE = 8192;
    /** The most pixels of one input image read (a 4096x4096 image). */
    static final long MAX_PIXELS = 4096L * 4096;
    private InputImages() {
    }

    /**
     * The images of {@code inputs} as a raw batch {@code [N, ...sample]}: one IDX images file (all its
     * rows), or PNG files (converted to grey, resized to the sample's height and width, copied to every
     * channel, optionally inverted).
     *
     * @param modelDirectory named in errors
     */
    static Tensor read(List<Path> inputs, Shape sample, boolean invert, Path modelDirectory) {
        if (sample.rank() != 3) {
            throw new InvalidInputException(modelDirectory + ": the command reads images, but the model takes samples of "
                    + sample);
        }
        if (inputs.size() == 1 && !isPng(inputs.get(0))) {
            IdxArray idx = IdxReader.read(inputs.get(0), 3);
            Tensor images = idx.toImageTensor();
            if (!images.shape().withoutBatch().equals(sample)) {
                throw new InvalidInputException(inputs.get(0) + ": images are " + images.shape().withoutBatch()
                        + " but the model expects " + sample);
            }
            return images;
        }
        int c = sample.dim(0);
        int h = sample.dim(1);
        int w = sample.dim(2);
        List<float[]> rows = new ArrayList<>();
        for (Path input : inputs) {
            if (!isPng(input)) {
                throw new InvalidInputException(input + ": expected a PNG image (IDX files are read one at a time)");
            }
            BufferedImage image = readBounded(input);
            BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = grey.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
            g.dispose();
            float[] row = new float[c * h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = grey.getRaster().getSample(x, y, 0);
                    for (int ch = 0; ch < c; ch++) {
                        row[(ch * h + y) * w + x] = invert ? 255 - v : v;
                    }
                }
            }
            rows.add(row);
        }
        float[] all = new float[rows.size() * sample.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, all, i * sample.size(), sample.size());
        }
        return Tensor.of(sample.withBatch(rows.size()), all);
    }

    /**
     * Decodes {@code input} after reading its width and height from the header: an image of more
     * than {@value #MAX_SIDE} pixels a side or {@value #MAX_PIXELS} pixels is refused before its
     * raster is allocated.
     */
    static BufferedImage readBounded(Path input) {
        try (ImageInputStream stream = ImageIO.createImageInputStream(input.toFile())) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new DataFormatException(input, 0, "not a readable image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
                    throw new DataFormatException(input, 16, "the header declares " + width + "x" + height
                            + " pixels; at most " + MAX_SIDE + " a side and " + MAX_PIXELS + " in all are read");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new DataFormatException(input, 0, "not a readable image");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataFormatException d) {
                throw d;
            }
            throw new DataFormatException(input, -1, "cannot read as PNG: " + e.getMessage(), e);
        }
    }

    /** Whether {@code file} starts with the PNG signature. */
    static boolean isPng(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && (magic[0] & 0xFF) == 0x89 && magic[1] == 'P' && magic[2] == 'N' && magic[3] == 'G';
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()));
        }
    }
}
