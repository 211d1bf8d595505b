package org.modelbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.spi.DatasetProvider;

/**
 * Shared logic of datasets made of the four MNIST-style IDX files ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}),
 * cached uncompressed under {@code <cache>/<id>/} and verified against pinned SHA-256s.
 */
abstract class IdxDatasetProvider extends VerifiedFilesProvider {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> FILE_NAMES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    @Override
    List<String> fileNames() {
        return FILE_NAMES;
    }

    @Override
    public DatasetSplits load(Path cacheDirectory, Consumer<String> log) {
        Map<String, String> metadata = verified(cacheDirectory, log);
        Path dir = cacheDirectory.resolve(id());
        return new DatasetSplits(
                read(id() + "/train", dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS), metadata),
                read(id() + "/test", dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), metadata));
    }

    /** Reads an image file and its label file into a dataset with raw pixel values 0..255. */
    Dataset read(String name, Path images, Path labels, Map<String, String> metadata) {
        return readPair(name, images, labels, info().classNames(), metadata);
    }

    /**
     * Reads a pair of IDX files (rank-3 images, rank-1 labels) into a dataset.
     *
     * @throws DataFormatException when either file is malformed, the counts differ, or a label is
     *                             outside the class list
     */
    static Dataset readPair(String name, Path images, Path labels, List<String> classNames,
                            Map<String, String> metadata) {
        IdxArray x = IdxReader.read(images, 3);
        IdxArray y = IdxReader.read(labels, 1);
        if (x.count() != y.count()) {
            throw new InvalidInputException(images + " holds " + x.count() + " images but " + labels + " holds "
                    + y.count() + " labels; expected the same count");
        }
        int[] labelValues = y.toLabels();
        for (int i = 0; i < labelValues.length; i++) {
            if (labelValues[i] >= classNames.size()) {
                throw new DataFormatException(labels, 8 + i, "label " + labelValues[i] + " at index " + i
                        + "; expected 0 to " + (classNames.size() - 1));
            }
        }
        return new Dataset(name, x.toImageTensor(), labelValues, classNames, metadata);
    }
}
