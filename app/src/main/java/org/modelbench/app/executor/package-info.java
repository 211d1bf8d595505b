/**
 * The executor SPI: where a bundle's trials run besides this machine. An adapter module (the Spark
 * executor, {@code executor-spark}) provides a {@link org.modelbench.app.executor.TrialExecutorProvider}
 * through {@link java.util.ServiceLoader}; the app never requires it, and without it
 * {@code --executor NAME} is a one-line error saying the adapter is missing.
 */
package org.modelbench.app.executor;
