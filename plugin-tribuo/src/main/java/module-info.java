/**
 * Tribuo baselines behind the modelbench SPI: random forest, extra trees, a single CART tree and
 * logistic regression. Exports nothing; Tribuo types never leave this module.
 */
module org.modelbench.tribuo {
    requires org.modelbench.api;
    requires java.logging;
    requires org.tribuo.core;
    requires org.tribuo.math;
    requires org.tribuo.common.tree;
    requires org.tribuo.classification.core;
    requires org.tribuo.classification.dtree;
    requires org.tribuo.classification.sgd;
    requires com.oracle.labs.mlrg.olcut;
    requires com.oracle.labs.mlrg.olcut.config.json;
    // OLCUT's JSON module is an automatic module and cannot say that it needs Jackson; this does, so
    // that Jackson is resolved on the module path.
    requires com.fasterxml.jackson.databind;
    requires com.google.protobuf;

    opens org.modelbench.tribuo.config to org.modelbench.api;
    // OLCUT reads the @Config fields of the histogram tree trainer for Tribuo provenance.
    opens org.modelbench.tribuo.internal to com.oracle.labs.mlrg.olcut;

    provides org.modelbench.api.spi.ModelFamilyProvider with
            org.modelbench.tribuo.RandomForestProvider,
            org.modelbench.tribuo.ExtraTreesProvider,
            org.modelbench.tribuo.CartProvider,
            org.modelbench.tribuo.LogisticProvider;
}
