package org.modelbench.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.data.config.NpyConfig;
import org.modelbench.data.config.NpzConfig;

/**
 * The {@code npy} and {@code npz} dataset formats: NumPy arrays of the user's, read with
 * {@link NpyReader}. See {@link NpyConfig} and {@link NpzConfig}.
 */
public abstract sealed class NpyDatasetProvider extends FileFormatProvider
        permits NpyDatasetProvider.Npy, NpyDatasetProvider.Npz {

    static Map<String, String> metadata(DatasetRequest request, String... paths) {
        Map<String, String> metadata = new LinkedHashMap<>();
        StringBuilder source = new StringBuilder();
        for (String path : paths) {
            if (path != null) {
                metadata.put("sha256:" + path, DataCache.sha256(request.resolve(path)));
                source.append(source.length() == 0 ? "" : " + ").append(path);
            }
        }
        metadata.put("source", source.toString());
        return metadata;
    }

    static String stem(String path) {
        return Path.of(path).getFileName().toString().replaceFirst("\\.np[yz]$", "");
    }

    /** {@code npy}: separate feature and label files. */
    public static final class Npy extends NpyDatasetProvider {
        @Override
        public String id() {
            return "npy";
        }

        @Override
        public String description() {
            return "NumPy .npy feature and label files ([N, F], [N, C, L] or [N, C, H, W])";
        }

        @Override
        public Class<? extends Record> configType() {
            return NpyConfig.class;
        }

        @Override
        DatasetSplits read(DatasetRequest request) {
            NpyConfig c = request.config(NpyConfig.class);
            Map<String, String> metadata = metadata(request, c.features(), c.labels(), c.testFeatures(),
                    c.testLabels());
            NpyReader.NpyArray x = NpyReader.read(request.resolve(c.features()));
            NpyReader.NpyArray y = NpyReader.read(request.resolve(c.labels()));
            NpyReader.NpyArray testX = c.testFeatures() == null ? null : NpyReader.read(request.resolve(c.testFeatures()));
            NpyReader.NpyArray testY = c.testLabels() == null ? null : NpyReader.read(request.resolve(c.testLabels()));
            return ArrayDatasets.splits(stem(c.features()), x, y, testX, testY, c.classes(), c.testSplit(), metadata);
        }
    }

    /** {@code npz}: one archive holding a features and a labels array. */
    public static final class Npz extends NpyDatasetProvider {
        @Override
        public String id() {
            return "npz";
        }

        @Override
        public String description() {
            return "a NumPy .npz archive with a features (x) and a labels (y) array";
        }

        @Override
        public Class<? extends Record> configType() {
            return NpzConfig.class;
        }

        @Override
        DatasetSplits read(DatasetRequest request) {
            NpzConfig c = request.config(NpzConfig.class);
            Map<String, String> metadata = metadata(request, c.train(), c.test());
            Path train = request.resolve(c.train());
            NpyReader.NpyArray x = NpyReader.read(train, c.features());
            NpyReader.NpyArray y = NpyReader.read(train, c.labels());
            NpyReader.NpyArray testX = null;
            NpyReader.NpyArray testY = null;
            if (c.test() != null) {
                Path test = request.resolve(c.test());
                testX = NpyReader.read(test, c.features());
                testY = NpyReader.read(test, c.labels());
            }
            return ArrayDatasets.splits(stem(c.train()), x, y, testX, testY, c.classes(), c.testSplit(), metadata);
        }
    }
}
