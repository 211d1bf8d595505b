/** Two small but real model families used by the app's tests through the SPI, as a plugin would be. */
package org.modelbench.app.testfamily;
