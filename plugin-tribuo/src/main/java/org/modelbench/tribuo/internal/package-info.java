/**
 * The Tribuo side of the plugin: the dataset adapter, the model wrapper, trainers, the saved-model
 * format and log quieting. Tribuo types never leave this package; nothing here is exported.
 */
package org.modelbench.tribuo.internal;
