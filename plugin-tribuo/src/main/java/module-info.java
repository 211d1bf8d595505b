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
    requires com.google.protobuf;

    opens org.modelbench.tribuo.config to org.modelbench.api;

    provides org.modelbench.api.spi.ModelFamilyProvider with
            org.modelbench.tribuo.RandomForestProvider,
            org.modelbench.tribuo.ExtraTreesProvider,
            org.modelbench.tribuo.CartProvider,
            org.modelbench.tribuo.LogisticProvider;
}
