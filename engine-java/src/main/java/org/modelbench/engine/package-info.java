/** The native Java neural-network engine. */
package org.modelbench.engine;
