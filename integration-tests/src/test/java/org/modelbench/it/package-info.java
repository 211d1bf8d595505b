/**
 * End-to-end tests: each starts {@code java --module-path ... -m org.modelbench.app} as a user's
 * launcher does, with its own plugins folder and data cache settings, and checks the output and
 * exit code.
 */
package org.modelbench.it;
