/**
 * The {@code modelbench} commands, declared with picocli: one class per command. Commands never
 * exit the JVM; they return their exit code (see {@link org.modelbench.app.cli.ExitCodes}).
 */
package org.modelbench.app.cli;
