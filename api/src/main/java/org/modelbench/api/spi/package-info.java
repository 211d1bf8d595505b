/**
 * Provider interfaces that plugins implement and the application discovers with
 * {@link java.util.ServiceLoader}.
 *
 * <p>A provider is cheap: answering {@link org.modelbench.api.spi.Provider#id()} and friends must
 * not load native libraries or large files; heavy work happens on first real use. A plugin module
 * exports nothing, {@code opens} the package of its config records to {@code org.modelbench.api} (so
 * {@link org.modelbench.api.RecordBinder} can bind manifests to them)
 * and declares {@code provides org.modelbench.api.spi.ModelFamilyProvider with ...}; it also ships
 * {@code META-INF/services} entries so that it works on the class path too.
 *
 * <p>Ids are kebab-case and unique across all loaded plugins.
 */
package org.modelbench.api.spi;
