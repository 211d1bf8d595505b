package org.modelbench.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.modelbench.api.InvalidInputException;

/**
 * Reads a folder of images with one subfolder per class (sorted by name) through ImageIO. Each
 * image's size is read from its header and checked against a pixel cap before it is decoded, so a
 * header claiming a huge raster never allocates one. Files ImageIO has no reader for are skipped and
 * counted; an image that fails to decode is an error naming the file.
 */
public final class ImageFolderReader {
    private static final long MAX_FILE_BYTES = 512L << 20;

    private ImageFolderReader() {
    }

    /**
     * One image as decoded: its pixels, row-major per channel ({@code [C, H, W]}, values 0..255).
     *
     * @param file   where it came from
     * @param label  the index of its class folder
     * @param width  its width in pixels, as stored
     * @param height its height, as stored
     * @param pixels {@code channels x height x width} values after conversion (not resized)
     */
    public record Image(Path file, int label, int width, int height, float[] pixels) {
    }

    /**
     * A folder as read.
     *
     * @param folder     the folder
     * @param classNames the class subfolders, sorted
     * @param images     every image, class by class, files sorted by name
     * @param skipped    files that are not images (no ImageIO reader), per class folder
     * @param sha256     a digest of every image's relative path and bytes, in order
     */
    public record Folder(Path folder, List<String> classNames, List<Image> images, Map<String, Integer> skipped,
                         String sha256) {
        /** How many images have each stored size ({@code WxH}), sizes sorted. */
        public Map<String, Integer> sizeHistogram() {
            Map<String, Integer> histogram = new TreeMap<>();
            for (Image image : images) {
                histogram.merge(image.width() + "x" + image.height(), 1, Integer::sum);
            }
            return histogram;
        }
    }

    /** The class subfolders of {@code folder}, sorted (hidden folders left out). */
    public static List<String> classes(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(folder + ": no such folder; expected a folder with one subfolder per class");
        }
        try (Stream<Path> list = Files.list(folder)) {
            List<String> names = list.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
            if (names.isEmpty()) {
                throw new InvalidInputException(folder + ": no class subfolders; expected one subfolder of images per "
                        + "class");
            }
            return names;
        } catch (IOException e) {
            throw new InvalidInputException(folder + ": cannot list: " + e.getMessage());
        }
    }

    /**
     * Reads every image of {@code folder}'s class subfolders {@code classNames}.
     *
     * @param channels  1 (grey) or 3 (RGB)
     * @param maxPixels the largest width x height accepted
     */
    public static Folder read(Path folder, List<String> classNames, int channels, long maxPixels) {
        List<Image> images = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        MessageDigest digest = sha256();
        for (int label = 0; label < classNames.size(); label++) {
            Path classFolder = folder.resolve(classNames.get(label));
            if (!Files.isDirectory(classFolder)) {
                throw new InvalidInputException(classFolder + ": no such folder; expected the class folders of the "
                        + "training images: " + classNames);
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(classFolder)) {
                files = list.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new InvalidInputException(classFolder + ": cannot list: " + e.getMessage());
            }
            int found = 0;
            for (Path file : files) {
                Image image = readImage(file, label, channels, maxPixels, digest, folder);
                if (image == null) {
                    skipped.merge(classNames.get(label), 1, Integer::sum);
                } else {
                    images.add(image);
                    found++;
                }
            }
            if (found == 0) {
                throw new InvalidInputException(classFolder + ": no images" + (files.isEmpty() ? ""
                        : " among its " + files.size() + " files") + "; expected at least one PNG, JPEG, BMP or GIF");
            }
        }
        return new Folder(folder, List.copyOf(classNames), images, skipped, HexFormat.of().formatHex(digest.digest()));
    }

    /** Decodes one file, or returns {@code null} when ImageIO has no reader for it. */
    private static Image readImage(Path file, int label, int channels, long maxPixels, MessageDigest digest, Path root) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new InvalidInputException(file + ": " + size + " bytes; expected an image of at most "
                        + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": vanished while reading");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width < 1 || height < 1 || (long) width * height > maxPixels) {
                    throw new InvalidInputException(file + ": its header says " + width + "x" + height
                            + " pixels; expected at most " + maxPixels + " pixels (maxPixels)");
                }
                checkComplete(file, bytes, reader.getFormatName());
                BufferedImage image = reader.read(0);
                digest.update(root.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(bytes);
                return new Image(file, label, width, height, pixels(image, channels));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException(file + ": cannot decode the image (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); expected a readable PNG, JPEG, BMP or GIF");
        }
    }

    /**
     * ImageIO decodes some truncated files without complaint (missing rows come back black), so the
     * container is checked first: every PNG chunk present with its CRC up to {@code IEND}, a JPEG's
     * end-of-image marker, a GIF's trailer, a BMP's declared file size.
     */
    static void checkComplete(Path file, byte[] bytes, String format) {
        String what = switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "png" -> pngProblem(bytes);
            case "jpeg", "jpg" -> endsWith(bytes, (byte) 0xFF, (byte) 0xD9) ? null
                    : "no end-of-image marker FFD9 at the end";
            case "gif" -> endsWith(bytes, (byte) 0x3B) ? null : "no trailer byte 3B at the end";
            case "bmp" -> bytes.length >= 6 && java.nio.ByteBuffer.wrap(bytes, 2, 4)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() <= bytes.length ? null
                    : "fewer bytes than its header's file size";
            default -> null;
        };
        if (what != null) {
            throw new InvalidInputException(file + ": truncated or damaged " + format.toUpperCase(java.util.Locale.ROOT)
                    + " (" + what + "); expected a complete image file");
        }
    }

    private static boolean endsWith(byte[] bytes, byte... tail) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--; // some writers pad with zeros
        }
        if (end < tail.length) {
            return false;
        }
        for (int i = 0; i < tail.length; i++) {
            if (bytes[end - tail.length + i] != tail[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first problem in a PNG's chunk sequence, or {@code null}. */
    private static String pngProblem(byte[] bytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        int at = 8;
        while (at + 12 <= bytes.length) {
            long length = b.getInt(at) & 0xFFFFFFFFL;
            if (at + 12 + length > bytes.length) {
                return "chunk at byte " + at + " declares " + length + " bytes but the file ends at " + bytes.length;
            }
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes, at + 4, (int) length + 4);
            if ((int) crc.getValue() != b.getInt(at + 8 + (int) length)) {
                return "bad CRC in the chunk at byte " + at;
            }
            if (bytes[at + 4] == 'I' && bytes[at + 5] == 'E' && bytes[at + 6] == 'N' && bytes[at + 7] == 'D') {
                return null;
            }
            at += 12 + (int) length;
        }
        return "no IEND chunk";
    }

    /**
     * The pixels as {@code [C, H, W]} values 0..255: 8-bit grey images exactly as stored; other images
     * through their RGB values (grey for {@code channels == 1}: {@code round(0.299 R + 0.587 G + 0.114 B)}).
     */
    static float[] pixels(BufferedImage image, int channels) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[channels * h * w];
        Raster raster = image.getRaster();
        boolean grey = image.getType() == BufferedImage.TYPE_BYTE_GRAY
                || image.getType() == BufferedImage.TYPE_USHORT_GRAY;
        if (grey) {
            double scale = image.getType() == BufferedImage.TYPE_USHORT_GRAY ? 255.0 / 65535.0 : 1.0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = (float) Math.rint(raster.getSample(x, y, 0) * scale);
                    for (int c = 0; c < channels; c++) {
                        out[(c * h + y) * w + x] = v;
                    }
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (channels == 1) {
                    out[y * w + x] = (float) Math.rint(0.299 * r + 0.587 * g + 0.114 * b);
                } else {
                    out[y * w + x] = r;
                    out[(h + y) * w + x] = g;
                    out[(2 * h + y) * w + x] = b;
                }
            }
        }
        return out;
    }

    /**
     * Bilinear resize of {@code [C, h, w]} to {@code [C, height, width]} with half-pixel centres (the
     * convention of PIL and of {@code torch.nn.functional.interpolate(align_corners=False)}).
     */
    public static float[] resize(float[] pixels, int channels, int h, int w, int height, int width) {
        if (h == height && w == width) {
            return pixels;
        }
        float[] out = new float[channels * height * width];
        double sy = (double) h / height;
        double sx = (double) w / width;
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            double dy = fy - y0;
            for (int x = 0; x < width; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double dx = fx - x0;
                for (int c = 0; c < channels; c++) {
                    int base = c * h * w;
                    double top = pixels[base + y0 * w + x0] * (1 - dx) + pixels[base + y0 * w + x1] * dx;
                    double bottom = pixels[base + y1 * w + x0] * (1 - dx) + pixels[base + y1 * w + x1] * dx;
                    out[(c * height + y) * width + x] = (float) (top * (1 - dy) + bottom * dy);
                }
            }
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
