package org.modelbench.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.data.config.ImageFolderConfig;

/**
 * The {@code image-folder} dataset format: images sorted into one subfolder per class, read with
 * {@link ImageFolderReader} into {@code [N, C, H, W]} raw values 0..255. See {@link ImageFolderConfig}.
 */
public final class ImageFolderProvider extends FileFormatProvider {

    @Override
    public String id() {
        return "image-folder";
    }

    @Override
    public String description() {
        return "folders of PNG/JPEG/BMP/GIF images, one subfolder per class";
    }

    @Override
    public Class<? extends Record> configType() {
        return ImageFolderConfig.class;
    }

    @Override
    DatasetSplits read(DatasetRequest request) {
        ImageFolderConfig config = request.config(ImageFolderConfig.class);
        Path trainFolder = request.resolve(config.train());
        List<String> classes = ImageFolderReader.classes(trainFolder);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", config.train() + (config.test() == null ? "" : " + " + config.test()));
        ImageFolderReader.Folder train = ImageFolderReader.read(trainFolder, classes, config.channels(),
                config.maxPixels());
        metadata.put("sha256:" + config.train() + "/", train.sha256());
        log(request, train);
        ImageFolderReader.Folder test = null;
        if (config.test() != null) {
            Path testFolder = request.resolve(config.test());
            List<String> testClasses = ImageFolderReader.classes(testFolder);
            if (!testClasses.equals(classes)) {
                throw new InvalidInputException(testFolder + ": class folders " + testClasses + "; expected those of "
                        + trainFolder + ": " + classes);
            }
            test = ImageFolderReader.read(testFolder, classes, config.channels(), config.maxPixels());
            metadata.put("sha256:" + config.test() + "/", test.sha256());
            log(request, test);
        }
        int[] size = size(config, train);
        String name = Path.of(config.train()).normalize().getFileName().toString();
        Dataset all = dataset(name + "/train", train, config.channels(), size, config.size() != null, metadata);
        if (test != null) {
            return new DatasetSplits(all, dataset(name + "/test", test, config.channels(), size, config.size() != null, metadata));
        }
        boolean[] isTest = Stratified.holdout(all.labels(), classes.size(), config.testSplit(),
                c -> trainFolder.resolve(classes.get(c)).toString(), "image");
        return ArrayDatasets.split(all, isTest, name);
    }

    private static void log(DatasetRequest request, ImageFolderReader.Folder folder) {
        int skipped = folder.skipped().values().stream().mapToInt(Integer::intValue).sum();
        if (skipped > 0) {
            request.log().accept(folder.folder() + ": skipped " + skipped + " file(s) that are not images "
                    + folder.skipped());
        }
    }

    /** {@code [H, W]}: the configured size, else the images' common size. */
    private static int[] size(ImageFolderConfig config, ImageFolderReader.Folder train) {
        if (config.size() != null) {
            return new int[] {config.size().get(0), config.size().get(1)};
        }
        ImageFolderReader.Image first = train.images().get(0);
        return new int[] {first.height(), first.width()};
    }

    private static Dataset dataset(String name, ImageFolderReader.Folder folder, int channels, int[] size,
                                   boolean resize, Map<String, String> metadata) {
        int height = size[0];
        int width = size[1];
        int per = channels * height * width;
        long total = (long) per * folder.images().size();
        if (total > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(folder.folder() + ": " + folder.images().size() + " images of " + per
                    + " values are more than one array holds; give a smaller size: [H, W]");
        }
        float[] x = new float[(int) total];
        int[] labels = new int[folder.images().size()];
        ImageFolderReader.Image reference = folder.images().get(0);
        for (int i = 0; i < labels.length; i++) {
            ImageFolderReader.Image image = folder.images().get(i);
            if (!resize && (image.width() != width || image.height() != height)) {
                throw new InvalidInputException(image.file() + ": " + image.width() + "x" + image.height()
                        + " pixels; expected " + width + "x" + height + " like " + reference.file()
                        + " (or give size: [H, W] to resize)");
            }
            float[] pixels = ImageFolderReader.resize(image.pixels(), channels, image.height(), image.width(), height,
                    width);
            System.arraycopy(pixels, 0, x, i * per, per);
            labels[i] = image.label();
        }
        return new Dataset(name, Tensor.of(Shape.of(folder.images().size(), channels, height, width), x), labels,
                folder.classNames(), metadata);
    }
}
