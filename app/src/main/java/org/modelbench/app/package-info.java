/** The {@code modelbench} entry point. */
package org.modelbench.app;
