/**
 * The {@code modelbench} command line and experiment runner. It never requires a plugin: model
 * families, layers and datasets are found with {@link java.util.ServiceLoader}, on the module path
 * and in the jars of a {@code plugins/} folder.
 */
module org.modelbench.app {
    requires org.modelbench.api;
    requires org.modelbench.data;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires java.desktop;
    requires org.knowm.xchart;
    requires hipparchus.core;
    requires hipparchus.stat;

    uses org.modelbench.api.spi.ModelFamilyProvider;
    uses org.modelbench.api.spi.LayerProvider;
    uses org.modelbench.api.spi.DatasetProvider;
    uses org.modelbench.api.spi.CommandProvider;
    uses org.modelbench.app.executor.TrialExecutorProvider;

    // The executor SPI and what an executor adapter runs a trial with (the bundle, its plan, the
    // trial runner, the registry), for adapters such as the Spark executor (on the class path).
    exports org.modelbench.app.executor;
    exports org.modelbench.app.run;
    exports org.modelbench.app.plugins;

    opens org.modelbench.app.cli to info.picocli;
    opens org.modelbench.app.manifest to org.modelbench.api;
    opens org.modelbench.app.executor to org.modelbench.api;
    opens org.modelbench.app.run to com.fasterxml.jackson.databind;
    opens org.modelbench.app.report to com.fasterxml.jackson.databind;
    opens org.modelbench.app.slurm to com.fasterxml.jackson.databind;
}
