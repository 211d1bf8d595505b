/** Tribuo baselines behind the modelbench SPI. */
package org.modelbench.tribuo;
