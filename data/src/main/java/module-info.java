/**
 * Datasets for modelbench: validating readers (IDX, CSV, NumPy, image folders), the built-in
 * datasets that fetch, verify and cache their files ({@code mnist}, {@code fashion-mnist},
 * {@code iris}, {@code wine}, {@code breast-cancer}, {@code digits}) and the formats a manifest names
 * with its own files ({@code csv}, {@code image-folder}, {@code npy}, {@code npz}).
 */
module org.modelbench.data {
    requires transitive org.modelbench.api;
    requires com.fasterxml.jackson.dataformat.csv;
    requires com.fasterxml.jackson.core;
    requires java.desktop;
    exports org.modelbench.data;
    exports org.modelbench.data.config;
    opens org.modelbench.data.config to org.modelbench.api;
    provides org.modelbench.api.spi.DatasetProvider with
            org.modelbench.data.MnistProvider,
            org.modelbench.data.FashionMnistProvider,
            org.modelbench.data.CsvDatasetProvider,
            org.modelbench.data.SklearnTableProvider.Iris,
            org.modelbench.data.SklearnTableProvider.Wine,
            org.modelbench.data.SklearnTableProvider.BreastCancer,
            org.modelbench.data.SklearnTableProvider.Digits,
            org.modelbench.data.NpyDatasetProvider.Npy,
            org.modelbench.data.NpyDatasetProvider.Npz,
            org.modelbench.data.ImageFolderProvider;
}
