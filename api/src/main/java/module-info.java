/**
 * The modelbench core SPI: values (tensors, shapes, datasets), the model/trainer/layer contracts,
 * evaluation, provenance, and the provider interfaces that plugins implement and that the
 * application discovers with {@link java.util.ServiceLoader}.
 *
 * <p>This module has no third-party dependencies; backend types never appear in it.
 */
module org.modelbench.api {
    exports org.modelbench.api;
    exports org.modelbench.api.spi;
    exports org.modelbench.api.provenance;

    // ProviderCatalogue.discover(): the providers of the application's own layer (tests, library use)
    uses org.modelbench.api.spi.ModelFamilyProvider;
    uses org.modelbench.api.spi.LayerProvider;
    uses org.modelbench.api.spi.DatasetProvider;
    uses org.modelbench.api.spi.CommandProvider;
}
