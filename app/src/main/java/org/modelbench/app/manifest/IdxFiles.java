package org.modelbench.app.manifest;

import java.util.List;
import org.modelbench.api.ConfigException;

/**
 * A dataset given as four IDX files (plain or gzip), paths relative to the manifest's folder.
 *
 * @param trainImages rank-3 images, e.g. {@code train-images-idx3-ubyte}
 * @param trainLabels rank-1 labels
 * @param testImages  rank-3 images
 * @param testLabels  rank-1 labels
 * @param classNames  the class names, index = label; default {@code 0..9}
 */
public record IdxFiles(String trainImages, String trainLabels, String testImages, String testLabels,
                       List<String> classNames) {

    public IdxFiles {
        require(trainImages, "trainImages");
        require(trainLabels, "trainLabels");
        require(testImages, "testImages");
        require(testLabels, "testLabels");
        classNames = classNames == null ? List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
                : List.copyOf(classNames);
        if (classNames.size() < 2) {
            throw new ConfigException("classNames", "expected at least 2 class names, got " + classNames.size());
        }
    }

    private static void require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "missing; expected the path of an IDX file");
        }
    }

    /** The four paths, in field order, with their keys. */
    public List<String[]> keyed() {
        return List.of(new String[] {"trainImages", trainImages}, new String[] {"trainLabels", trainLabels},
                new String[] {"testImages", testImages}, new String[] {"testLabels", testLabels});
    }
}
