package org.modelbench.data.config;

import java.util.List;
import org.modelbench.api.ConfigException;

/**
 * The {@code params} of the {@code image-folder} dataset format: folders with one subfolder per class
 * (class names = subfolder names, sorted), paths relative to the manifest. PNG, JPEG, BMP and GIF are
 * read; other files are skipped and counted.
 *
 * @param train     the folder of training images (or all images)
 * @param test      a folder of test images with the same class subfolders; without it, {@code testSplit} of the
 *                  images are held out (stratified, fixed seed)
 * @param testSplit the fraction held out without a test folder, in (0, 0.5]; default 0.2
 * @param size      {@code [H, W]}: every image resized (bilinear) to this; default the size of the images, which
 *                  must then all agree
 * @param channels  1 (grey; colour images become luminance 0.299 R + 0.587 G + 0.114 B) or 3 (RGB; grey
 *                  images are repeated); default 3
 * @param maxPixels the largest image (width x height, read from its header before decoding) accepted;
 *                  default 50,000,000
 */
public record ImageFolderConfig(String train, String test, Double testSplit, List<Integer> size, Integer channels,
                                Long maxPixels) {
    /** The default pixel cap. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    public ImageFolderConfig {
        if (train == null || train.isBlank()) {
            throw new ConfigException("train", "expected the path of a folder with one subfolder per class");
        }
        testSplit = SplitChecks.check(testSplit, test != null);
        if (size != null && (size.size() != 2 || size.stream().anyMatch(d -> d == null || d < 1 || d > 4096))) {
            throw new ConfigException("size", "expected [H, W] with each in 1 to 4096, got " + size);
        }
        size = size == null ? null : List.copyOf(size);
        channels = channels == null ? 3 : channels;
        if (channels != 1 && channels != 3) {
            throw new ConfigException("channels", "expected 1 (grey) or 3 (RGB), got " + channels);
        }
        maxPixels = maxPixels == null ? DEFAULT_MAX_PIXELS : maxPixels;
        if (maxPixels < 1) {
            throw new ConfigException("maxPixels", "expected a positive pixel count, got " + maxPixels);
        }
    }
}
