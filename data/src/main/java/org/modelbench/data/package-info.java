/**
 * The IDX file format (read and write, plain or gzip) and the dataset providers built on it.
 *
 * <p>The data cache is {@code $MODELBENCH_DATA} when set, else {@code ~/.modelbench/data}; see
 * {@link org.modelbench.data.DataCache}. Every cached file is verified against a pinned SHA-256 and
 * appears only after verification (temporary file, then an atomic rename), so a failed or
 * interrupted fetch leaves nothing half-written.
 */
package org.modelbench.data;
