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

    // LayerTypes' fallback when no registry installed the layer types
    uses org.modelbench.api.spi.LayerProvider;
}
