/**
 * The config records the dataset formats bind a manifest's {@code dataset.params} to; each validates
 * itself in its compact constructor.
 */
package org.modelbench.data.config;
