/** The {@code bench} command provider. */
package org.modelbench.bench;
