/**
 * An example third-party plugin: the {@code hello-nearest-centroid} model family. It requires only
 * {@code org.modelbench.api}, exports nothing, opens its config package to the api (so manifests
 * can bind to {@link org.modelbench.examples.hello.NearestCentroidConfig}) and provides its family.
 */
module org.modelbench.examples.hello {
    requires org.modelbench.api;
    opens org.modelbench.examples.hello to org.modelbench.api;
    provides org.modelbench.api.spi.ModelFamilyProvider with org.modelbench.examples.hello.NearestCentroidProvider;
}
