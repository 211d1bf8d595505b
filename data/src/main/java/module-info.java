/**
 * Datasets for modelbench: a validating IDX reader and writer, and the {@code mnist} and
 * {@code fashion-mnist} providers that fetch, verify and cache the original files.
 */
module org.modelbench.data {
    requires transitive org.modelbench.api;
    exports org.modelbench.data;
    provides org.modelbench.api.spi.DatasetProvider with
            org.modelbench.data.MnistProvider,
            org.modelbench.data.FashionMnistProvider;
}
