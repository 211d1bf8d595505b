package org.modelbench.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.data.config.CsvConfig;

/**
 * A classic table shipped by Debian's {@code python3-sklearn} under {@value #SYSTEM_FOLDER}: read
 * where the package is installed, else from {@code apt-get download} + {@code dpkg-deb -x}; the file
 * is verified against its pinned SHA-256 and cached. The format is scikit-learn's own: a first line
 * {@code n_rows,n_features,class names...} (not in {@code digits.csv.gz}), then the features and the
 * integer class index last. The test rows are a stratified fifth held out with
 * {@link Stratified#HOLDOUT_SEED}; {@code dataset.folds} uses all rows.
 */
public abstract sealed class SklearnTableProvider extends VerifiedFilesProvider
        permits SklearnTableProvider.Iris, SklearnTableProvider.Wine, SklearnTableProvider.BreastCancer,
        SklearnTableProvider.Digits {
    /** Where the Debian package installs the tables. */
    public static final String SYSTEM_FOLDER = "/usr/lib/python3/dist-packages/sklearn/datasets/data";
    static final String DEBIAN_PACKAGE = "python3-sklearn";
    static final double TEST_FRACTION = 0.2;

    private final String fileName;
    private final String sha256;
    private final Info info;
    private final boolean classLine;

    SklearnTableProvider(String fileName, String sha256, Info info, boolean classLine) {
        this.fileName = fileName;
        this.sha256 = sha256;
        this.info = info;
        this.classLine = classLine;
    }

    @Override
    public Info info() {
        return info;
    }

    @Override
    List<String> fileNames() {
        return List.of(fileName);
    }

    @Override
    Map<String, String> checksums() {
        return Map.of(fileName, sha256);
    }

    @Override
    void download(Path staging, Consumer<String> log) throws IOException, InterruptedException {
        Path folder = new DebianPackage(DEBIAN_PACKAGE).folder(SYSTEM_FOLDER, fileName, staging, log);
        Files.copy(folder.resolve(fileName), staging.resolve(fileName));
    }

    @Override
    public DatasetSplits load(Path cacheDirectory, Consumer<String> log) {
        Map<String, String> metadata = new LinkedHashMap<>(verified(cacheDirectory, log));
        Path file = cacheDirectory.resolve(id()).resolve(fileName);
        int columns = info.sampleShape().size() + 1;
        if (classLine) {
            checkClassLine(file);
        }
        CsvReader.Options options = new CsvReader.Options(',', false, classLine ? 1 : 0, String.valueOf(columns),
                null, List.of(), List.of(), false, false);
        CsvReader.Table table = CsvReader.read(file, options);
        DatasetSplits splits = new TableEncoder(info.classNames(), CsvConfig.Missing.ERROR, false)
                .encode(id(), table, null, TEST_FRACTION, metadata);
        if (splits.train().size() + splits.test().size() != info.trainSize() + info.testSize()) {
            throw new InvalidInputException(file + ": " + (splits.train().size() + splits.test().size())
                    + " rows; expected " + (info.trainSize() + info.testSize()));
        }
        Shape sample = info.sampleShape();
        return new DatasetSplits(reshape(splits.train(), sample), reshape(splits.test(), sample));
    }

    private static org.modelbench.api.Dataset reshape(org.modelbench.api.Dataset d, Shape sample) {
        return d.withFeatures(org.modelbench.api.Tensor.of(sample.withBatch(d.size()), d.features().data()));
    }

    /** The first line must name the row count, feature count and the class names this provider expects. */
    private void checkClassLine(Path file) {
        try (InputStream in = CsvReader.open(file);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            String expected = (info.trainSize() + info.testSize()) + "," + info.sampleShape().size() + ","
                    + String.join(",", info.classNames());
            if (line == null || !line.strip().replaceAll(",+$", "").equals(expected)) {
                throw new InvalidInputException(file + ":1: \"" + line + "\"; expected \"" + expected + "\"");
            }
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The number of test rows of a table of {@code rows} rows. */
    static int testRows(int rows) {
        return (int) Math.round(rows * TEST_FRACTION);
    }

    private static Info tableInfo(int rows, Shape sample, List<String> classes) {
        return new Info(rows - testRows(rows), testRows(rows), sample, classes, "Debian package " + DEBIAN_PACKAGE);
    }

    /** Fisher's iris flowers: 150 rows, 4 measurements in cm, 3 species. */
    public static final class Iris extends SklearnTableProvider {
        public Iris() {
            super("iris.csv", "f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449",
                    tableInfo(150, Shape.of(4), List.of("setosa", "versicolor", "virginica")), true);
        }

        @Override
        public String id() {
            return "iris";
        }

        @Override
        public String description() {
            return "Fisher's iris: 150 flowers, 4 measurements, 3 species";
        }
    }

    /** Wine cultivars: 178 rows, 13 chemical measurements, 3 classes. */
    public static final class Wine extends SklearnTableProvider {
        public Wine() {
            super("wine_data.csv", "10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede",
                    tableInfo(178, Shape.of(13), List.of("class_0", "class_1", "class_2")), true);
        }

        @Override
        public String id() {
            return "wine";
        }

        @Override
        public String description() {
            return "wine recognition: 178 wines, 13 chemical measurements, 3 cultivars";
        }
    }

    /** Wisconsin diagnostic breast cancer: 569 rows, 30 features, malignant or benign. */
    public static final class BreastCancer extends SklearnTableProvider {
        public BreastCancer() {
            super("breast_cancer.csv", "fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed",
                    tableInfo(569, Shape.of(30), List.of("malignant", "benign")), true);
        }

        @Override
        public String id() {
            return "breast-cancer";
        }

        @Override
        public String description() {
            return "Wisconsin breast cancer: 569 biopsies, 30 features, malignant or benign";
        }
    }

    /** Handwritten digits of 8x8 pixels (values 0..16): 1,797 images, 10 classes. */
    public static final class Digits extends SklearnTableProvider {
        public Digits() {
            super("digits.csv.gz", "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a",
                    tableInfo(1797, Shape.of(1, 8, 8), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")), false);
        }

        @Override
        public String id() {
            return "digits";
        }

        @Override
        public String description() {
            return "handwritten digits: 1,797 images of 8x8 pixels (0..16), 10 classes";
        }
    }
}
