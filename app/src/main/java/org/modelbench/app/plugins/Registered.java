package org.modelbench.app.plugins;

import org.modelbench.api.provenance.ComponentInfo;
import org.modelbench.api.spi.Provider;

/**
 * A loaded provider and where it came from.
 *
 * @param provider the provider instance
 * @param info     kind, id, version, module and jar
 */
public record Registered<P extends Provider>(P provider, ComponentInfo info) {
}
