/** Tribuo baselines behind the modelbench SPI. */
module org.modelbench.tribuo {
    requires org.modelbench.api;
    requires org.tribuo.core;
    requires org.tribuo.classification.core;
    requires org.tribuo.classification.dtree;
    requires org.tribuo.classification.sgd;
}
