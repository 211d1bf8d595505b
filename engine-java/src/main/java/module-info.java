/** The native Java neural-network engine. */
module org.modelbench.engine {
    requires transitive org.modelbench.api;
}
