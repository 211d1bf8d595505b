package org.modelbench.onnx.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.Dataset;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * Frozen-base features on disk, keyed by a hash of the model (bytes, cut point, preprocessing,
 * engine) and a hash of the data (features and labels). File format ({@code .features}):
 * {@code "MBFEAT01"}, the rank and dims as little-endian int32, then the float32 values; written
 * atomically. A file whose size does not match its header is recomputed.
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

    /** SHA-256 of a dataset's features and labels. */
    public static String dataHash(Dataset data) {
        float[] f = data.features().data();
        ByteBuffer b = ByteBuffer.allocate(f.length * 4 + data.labels().length * 4 + 64).order(ByteOrder.LITTLE_ENDIAN);
        for (int d : data.features().shape().dims()) {
            b.putInt(d);
        }
        b.asFloatBuffer().put(f);
        b.position(b.position() + f.length * 4);
        for (int l : data.labels()) {
            b.putInt(l);
        }
        return sha256(java.util.Arrays.copyOf(b.array(), b.position()));
    }

    /**
     * The cached features for {@code key}, computing and storing them on a miss.
     *
     * @param directory the cache folder (created when needed), or null for no caching
     */
    public static Tensor get(Path directory, String key, Supplier<Tensor> compute) {
        if (directory == null) {
            return compute.get();
        }
        Path file = directory.resolve(key + ".features");
        Tensor cached = read(file);
        if (cached != null) {
            return cached;
        }
        Tensor t = compute.get();
        write(file, t);
        return t;
    }

    /** Whether features for {@code key} are on disk. */
    public static boolean contains(Path directory, String key) {
        return directory != null && read(directory.resolve(key + ".features")) != null;
    }

    private static Tensor read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.length < 12 || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 8), MAGIC)) {
                return null;
            }
            b.position(8);
            int rank = b.getInt();
            if (rank < 1 || rank > 8 || bytes.length < 12 + rank * 4) {
                return null;
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = b.getInt();
                size *= dims[i];
            }
            if (dims[0] < 1 || bytes.length != 12 + rank * 4L + size * 4) {
                return null;
            }
            float[] data = new float[(int) size];
            b.asFloatBuffer().get(data);
            return Tensor.of(Shape.of(dims), data);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void write(Path file, Tensor t) {
        int[] dims = t.shape().dims();
        ByteBuffer b = ByteBuffer.allocate(12 + dims.length * 4 + t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.asFloatBuffer().put(t.data());
        AtomicFiles.write(file, b.array());
    }
}
