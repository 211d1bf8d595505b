package org.modelbench.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.data.config.CsvConfig;

/**
 * The {@code csv} dataset format: a table (or a file of series) of the user's, read with
 * {@link CsvReader} and encoded with the statistics of its training rows. See {@link CsvConfig}.
 */
public final class CsvDatasetProvider extends FileFormatProvider {

    @Override
    public String id() {
        return "csv";
    }

    @Override
    public String description() {
        return "a CSV table (header row, label column) or series (layout: sequence), plain or .csv.gz";
    }

    @Override
    public Class<? extends Record> configType() {
        return CsvConfig.class;
    }

    @Override
    DatasetSplits read(DatasetRequest request) {
        CsvConfig config = request.config(CsvConfig.class);
        Path train = request.resolve(config.train());
        Path test = config.test() == null ? null : request.resolve(config.test());
        CsvReader.Options options = options(config);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", config.train() + (test == null ? "" : " + " + config.test()));
        CsvReader.Table trainTable = CsvReader.read(train, options);
        metadata.put("sha256:" + config.train(), trainTable.sha256());
        CsvReader.Table testTable = null;
        if (test != null) {
            testTable = CsvReader.read(test, options);
            metadata.put("sha256:" + config.test(), testTable.sha256());
        }
        if (!trainTable.droppedColumns().isEmpty()) {
            request.log().accept(train + ": columns " + trainTable.droppedColumns() + " start with text and are not "
                    + "features (list them under categorical: to use them, or ignore: to silence this)");
        }
        String name = Path.of(config.train()).getFileName().toString().replaceFirst("\\.csv(\\.gz)?$", "");
        return new TableEncoder(config.classes(), config.missing(), config.layout() == CsvConfig.Layout.SEQUENCE)
                .encode(name, trainTable, testTable, config.testSplit(), metadata);
    }

    /** The reader options a config asks for. */
    static CsvReader.Options options(CsvConfig config) {
        boolean sequence = config.layout() == CsvConfig.Layout.SEQUENCE;
        return new CsvReader.Options(config.delimiterChar(), config.header(), 0, config.label(), config.features(),
                config.ignore(), config.categorical(), config.missing() != CsvConfig.Missing.ERROR, !sequence);
    }
}
