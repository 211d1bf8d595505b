/**
 * Dataset readers and providers: IDX (MNIST), CSV tables and sequences, NumPy {@code .npy}/{@code .npz}
 * arrays and folders of images, the built-in datasets that fetch and verify their files, and the
 * file formats a manifest can name ({@code csv}, {@code image-folder}, {@code npy}, {@code npz}).
 *
 * <p>Every reader treats its file as hostile: sizes read from a header are checked against the bytes
 * present before anything is allocated, and errors name the file and the line, column or byte offset.
 *
 * <p>The data cache is {@code $MODELBENCH_DATA} when set, else {@code ~/.modelbench/data}; see
 * {@link org.modelbench.data.DataCache}. Every cached file is verified against a pinned SHA-256 and
 * appears only after verification (temporary file, then an atomic rename), so a failed or
 * interrupted fetch leaves nothing half-written.
 */
package org.modelbench.data;
