package org.modelbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.data.config.ImageFolderConfig;

/** Image folders: real MNIST digits written as PNG read back exactly; every format; hostile files. */
class ImageFolderProviderTest {
    @TempDir
    Path dir;

    private DatasetSplits load(Map<String, Object> params) {
        ImageFolderConfig config = RecordBinder.bind(params, ImageFolderConfig.class, "dataset.params");
        return new ImageFolderProvider().load(new DatasetRequest(config, dir, dir, line -> { }));
    }

    private String error(Map<String, Object> params) {
        return assertThrows(InvalidInputException.class, () -> load(params)).getMessage();
    }

    static BufferedImage grey(float[] pixels, int offset, int h, int w) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.getRaster().setSample(x, y, 0, (int) pixels[offset + y * w + x]);
            }
        }
        return image;
    }

    @Test
    void mnistDigitsWrittenAsPngReadBackExactlyAsTheIdxPixels() throws IOException {
        Dataset mnist = new MnistProvider().load(DataCache.defaultDirectory(), s -> { }).test().slice(0, 60);
        float[] x = mnist.features().data();
        for (int i = 0; i < mnist.size(); i++) {
            Path folder = Files.createDirectories(dir.resolve("train").resolve(String.valueOf(mnist.labels()[i])));
            ImageIO.write(grey(x, i * 784, 28, 28), "png", folder.resolve(String.format("%03d.png", i)).toFile());
        }
        Files.writeString(dir.resolve("train/0/notes.txt"), "not an image");
        DatasetSplits s = load(Map.of("train", "train", "channels", 1, "testSplit", 0.25));
        assertEquals("1x28x28", s.train().sampleShape().toString());
        assertEquals(60, s.train().size() + s.test().size());
        // each decoded image equals an IDX image of the same class, pixel for pixel
        for (Dataset part : List.of(s.train(), s.test())) {
            for (int i = 0; i < part.size(); i++) {
                float[] png = Arrays.copyOfRange(part.features().data(), i * 784, (i + 1) * 784);
                boolean found = false;
                for (int j = 0; j < mnist.size() && !found; j++) {
                    found = Arrays.equals(png, Arrays.copyOfRange(x, j * 784, (j + 1) * 784))
                            && part.classNames().get(part.labels()[i]).equals(String.valueOf(mnist.labels()[j]));
                }
                assertTrue(found, "image " + i + " of " + part.name());
            }
        }
        assertEquals(64, s.train().metadata().get("sha256:train/").length());
    }

    @Test
    void everyFormatResizingAndChannels() throws IOException {
        BufferedImage rgb = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF0000);
        rgb.setRGB(1, 0, 0x00FF00);
        rgb.setRGB(2, 0, 0x0000FF);
        rgb.setRGB(3, 1, 0xFFFFFF);
        String[] formats = {"png", "bmp", "gif", "jpeg"};
        for (String cls : List.of("a", "b")) {
            Path folder = Files.createDirectories(dir.resolve("all").resolve(cls));
            for (String format : formats) {
                ImageIO.write(rgb, format, folder.resolve("img." + format).toFile());
            }
        }
        DatasetSplits s = load(Map.of("train", "all", "testSplit", 0.25));
        assertEquals("3x2x4", s.train().sampleShape().toString());
        assertEquals(8, s.train().size() + s.test().size());
        DatasetSplits resized = load(Map.of("train", "all", "channels", 1, "size", List.of(4, 8), "testSplit", 0.25));
        assertEquals("1x4x8", resized.train().sampleShape().toString());
        // a lossless image's grey value of pure red is round(0.299 * 255) = 76 before resizing
        float[] one = ImageFolderReader.pixels(rgb, 1);
        assertArrayEquals(new float[] {76, 150, 29, 0, 0, 0, 0, 255}, one);
        // bilinear with half-pixel centres: a 2x upscale of [0, 4] is [0, 1, 3, 4]
        assertArrayEquals(new float[] {0, 1, 3, 4}, ImageFolderReader.resize(new float[] {0, 4}, 1, 1, 2, 1, 4));
    }

    @Test
    void badFoldersFailOnOneLineNamingTheFile() throws IOException {
        Files.createDirectories(dir.resolve("f/cat"));
        Files.createDirectories(dir.resolve("f/dog"));
        ImageIO.write(new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("f/cat/1.png").toFile());
        assertEquals(dir.resolve("f/dog") + ": no images; expected at least one PNG, JPEG, BMP or GIF",
                error(Map.of("train", "f")));
        ImageIO.write(new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("f/dog/1.png").toFile());
        ImageIO.write(new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("f/dog/2.png").toFile());
        assertEquals(dir.resolve("f/cat") + ": 1 image; testSplit needs at least 2 per class (one to train on, one to "
                + "test)", error(Map.of("train", "f")));
        ImageIO.write(new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("f/cat/2.png").toFile());
        ImageIO.write(new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("f/cat/3.png").toFile());
        assertEquals(dir.resolve("f/cat/3.png") + ": 5x3 pixels; expected 3x3 like " + dir.resolve("f/cat/1.png")
                + " (or give size: [H, W] to resize)", error(Map.of("train", "f")));
        Files.delete(dir.resolve("f/cat/3.png"));
        byte[] png = Files.readAllBytes(dir.resolve("f/cat/2.png"));
        Files.write(dir.resolve("f/cat/2.png"), Arrays.copyOf(png, png.length - 20));
        String truncated = error(Map.of("train", "f"));
        assertEquals(dir.resolve("f/cat/2.png") + ": truncated or damaged PNG (chunk at byte 33 declares "
                + (png.length - 57) + " bytes but the file ends at " + (png.length - 20) + "); expected a complete image "
                + "file", truncated);
        Files.write(dir.resolve("f/cat/2.png"), huge(png));
        assertEquals(dir.resolve("f/cat/2.png") + ": its header says 100000x100000 pixels; expected at most 50000000 "
                + "pixels (maxPixels)", error(Map.of("train", "f")));
    }

    /** The PNG with its IHDR chunk claiming 100000 x 100000 pixels (CRC fixed, so only the size is wrong). */
    private static byte[] huge(byte[] png) {
        byte[] out = png.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(16, 100_000).putInt(20, 100_000);
        CRC32 crc = new CRC32();
        crc.update(out, 12, 17);
        b.putInt(29, (int) crc.getValue());
        return out;
    }
}
