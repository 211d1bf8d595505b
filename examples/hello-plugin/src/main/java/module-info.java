/**
 * An example third-party plugin: the {@code hello-nearest-centroid} model family and the
 * {@code hello-swish} layer type (usable in the layer specs of engine models such as {@code cnn}).
 * It requires only {@code org.modelbench.api}, exports nothing, opens its config package to the api
 * (so manifests can bind to its config records) and provides its family and its layer.
 */
module org.modelbench.examples.hello {
    requires org.modelbench.api;
    opens org.modelbench.examples.hello to org.modelbench.api;
    provides org.modelbench.api.spi.ModelFamilyProvider with org.modelbench.examples.hello.NearestCentroidProvider;
    provides org.modelbench.api.spi.LayerProvider with org.modelbench.examples.hello.SwishLayerProvider;
}
