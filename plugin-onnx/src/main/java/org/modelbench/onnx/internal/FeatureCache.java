package org.modelbench.onnx.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * Frozen-base features on disk, keyed by a hash of the model (bytes, cut point, preprocessing,
 * engine) and a hash of the data (features and labels). File format ({@code .features}):
 * {@code "MBFEAT01"}, the rank and dims as little-endian int32, then the float32 values; written
 * as the batches are computed, renamed into place when complete. A file whose size does not match
 * its header is recomputed; nothing is allocated before the header has been checked against the
 * file's length.
 */
public final class FeatureCache {
    private static final byte[] MAGIC = "MBFEAT01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private FeatureCache() {
    }

    /** SHA-256 of the given parts, hex. */
    public static String sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(ByteBuffer.allocate(4).putInt(p.length).array());
                md.update(p);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of bytes, hex (as {@code sha256sum} prints it). */
    public static String sha256Plain(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a dataset's features and labels (read in place, never copied whole). */
    public static String dataHash(Dataset data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            int[] dims = data.features().shape().dims();
            b.putInt(dims.length);
            for (int d : dims) {
                b.putInt(d);
            }
            for (float v : data.features().data()) {
                if (b.remaining() < 4) {
                    md.update(b.array(), 0, b.position());
                    b.clear();
                }
                b.putFloat(v);
            }
            for (int l : data.labels()) {
                if (b.remaining() < 4) {
                    md.update(b.array(), 0, b.position());
                    b.clear();
                }
                b.putInt(l);
            }
            md.update(b.array(), 0, b.position());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Computes the features of rows {@code [from, to)}, batch first. */
    @FunctionalInterface
    public interface BatchFeatures {
        Tensor compute(int from, int to);
    }

    /**
     * The cached features of {@code rows} rows for {@code key}, computing them on a miss batch by
     * batch ({@code batchSize} rows at a time) and streaming each batch to the cache file as it comes;
     * the file is renamed into place when complete, so an interrupted run recomputes.
     *
     * @param directory the cache folder (created when needed), or null for no caching
     */
    public static Tensor get(Path directory, String key, int rows, int batchSize, BatchFeatures compute) {
        Path file = directory == null ? null : directory.resolve(key + ".features");
        if (file != null) {
            Tensor cached = read(file);
            if (cached != null && cached.batchSize() == rows) {
                return cached;
            }
        }
        float[] out = null;
        Shape sample = null;
        Path tmp = null;
        FileChannel channel = null;
        try {
            if (file != null) {
                Files.createDirectories(directory);
                tmp = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
                channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
            }
            for (int from = 0; from < rows; from += batchSize) {
                int to = Math.min(rows, from + batchSize);
                Tensor y = compute.compute(from, to);
                if (out == null) {
                    sample = y.shape().withoutBatch();
                    long total = (long) rows * sample.size();
                    if (total > Integer.MAX_VALUE - 16) {
                        throw new InvalidInputException("frozen features of " + rows + " rows of " + sample + " ("
                                + total + " floats) do not fit in one array; use fewer rows or cut the base later");
                    }
                    out = new float[(int) total];
                    if (channel != null) {
                        writeFully(channel, header(sample.withBatch(rows).dims()));
                    }
                }
                System.arraycopy(y.data(), 0, out, from * sample.size(), y.data().length);
                if (channel != null) {
                    ByteBuffer b = ByteBuffer.allocate(y.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(y.data());
                    writeFully(channel, b);
                }
            }
            if (channel != null) {
                channel.force(true);
                channel.close();
                channel = null;
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ModelbenchException("cannot write the feature cache " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                if (channel != null) {
                    channel.close();
                }
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException ignored) {
                // the temporary file is only left behind
            }
        }
        return Tensor.of(sample.withBatch(rows), out);
    }

    /** Whether features for {@code key} are on disk (checked from the header and the file size). */
    public static boolean contains(Path directory, String key) {
        if (directory == null) {
            return false;
        }
        Path file = directory.resolve(key + ".features");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return dims(ch) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static ByteBuffer header(int[] dims) {
        ByteBuffer b = ByteBuffer.allocate(12 + dims.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** The dims in the header of an open cache file, or null if the header or the size is wrong. */
    private static int[] dims(FileChannel ch) throws IOException {
        long length = ch.size();
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        if (length < 12 || ch.read(head, 0) != 12) {
            return null;
        }
        byte[] magic = new byte[8];
        head.flip().get(magic);
        int rank = head.getInt();
        if (!java.util.Arrays.equals(magic, MAGIC) || rank < 1 || rank > 8 || length < 12 + rank * 4L) {
            return null;
        }
        ByteBuffer d = ByteBuffer.allocate(rank * 4).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(d, 12);
        d.flip();
        int[] dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = d.getInt();
            if (dims[i] < 1) {
                return null;
            }
            size *= dims[i];
            if (size > Integer.MAX_VALUE - 16) {
                return null;
            }
        }
        return length == 12 + rank * 4L + size * 4 ? dims : null;
    }

    /** The cached tensor, read in chunks straight into its array; null when absent or malformed. */
    private static Tensor read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int[] dims = dims(ch);
            if (dims == null) {
                return null;
            }
            Shape shape = Shape.of(dims);
            float[] data = new float[shape.size()];
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long position = 12 + dims.length * 4L;
            int filled = 0;
            while (filled < data.length) {
                b.clear();
                b.limit(Math.min(b.capacity(), (data.length - filled) * 4));
                while (b.hasRemaining()) {
                    int read = ch.read(b, position);
                    if (read <= 0) {
                        return null;
                    }
                    position += read;
                }
                b.flip();
                int floats = b.remaining() / 4;
                b.asFloatBuffer().get(data, filled, floats);
                filled += floats;
            }
            return Tensor.of(shape, data);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
