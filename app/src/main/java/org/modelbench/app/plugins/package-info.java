/**
 * The one plugin registry: providers from the module path (or class path) and from the jars of a
 * {@code plugins/} folder, each jar loaded in its own {@link java.lang.ModuleLayer}.
 */
package org.modelbench.app.plugins;
