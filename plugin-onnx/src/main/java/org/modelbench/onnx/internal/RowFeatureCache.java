package org.modelbench.onnx.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.modelbench.api.ModelbenchException;

/**
 * The outputs of a frozen computation (a base cut at a value, on one engine) for single input rows,
 * on disk and content-addressed: one file per (computation, value, row), at
 * {@code FOLDER/<key of the value>/<SHA-256 of the row>.row}, where the value's key is the SHA-256 of
 * what computes it (engine and the model cut at that value, weights included) and the row's is the
 * SHA-256 of its fed (preprocessed, laid out) floats and their dims. Any trial of a run, in this JVM
 * or another, that feeds the same row to the same computation finds the file, or computes the same
 * bits and writes them again: the file only ever holds what the computation gives for that row alone.
 *
 * <p>File format: {@code "MBROW001"}, the rank and dims (without the batch) as little-endian int32,
 * the CRC32C of the values, then the float32 values. Written to a temporary file and renamed into
 * place. A file whose size does not match its header or whose values do not match their CRC is
 * reported in one line and recomputed; nothing is allocated before the header has been checked
 * against the file's length.
 *
 * <p>This relies on the engines computing each row of a batch independently of the others (the same
 * bits whatever rows share its batch), which the project's determinism rule asks of every engine and
 * which {@code RowFeatureCacheTest} checks for both.
 */
final class RowFeatureCache {
    private static final byte[] MAGIC = "MBROW001".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_RANK = 8;

    /** Computes the outputs {@code values} of a fed batch (batch first), in one run of the engine. */
    @FunctionalInterface
    interface Compute {
        Map<String, Value> run(Value fed, List<String> values);
    }

    private final Path directory;
    private final Function<String, String> keyOfValue;
    private final Consumer<String> warnings;
    private final Map<String, String> keys = new HashMap<>();
    private final Map<String, long[]> counts = new HashMap<>();

    /**
     * @param directory  the cache folder (created when needed), or null: every row is computed, nothing written
     * @param keyOfValue the key of the computation of a value (asked once per value)
     * @param warnings   receives one line per unreadable cache file
     */
    RowFeatureCache(Path directory, Function<String, String> keyOfValue, Consumer<String> warnings) {
        this.directory = directory;
        this.keyOfValue = keyOfValue;
        this.warnings = warnings;
    }

    /** Whether rows are cached at all. */
    boolean enabled() {
        return directory != null;
    }

    /** The folder, or null. */
    Path directory() {
        return directory;
    }

    /** Rows of {@code value} computed by the engine so far (through this cache). */
    long rowsComputed(String value) {
        return counts.getOrDefault(value, new long[2])[0];
    }

    /** Rows of {@code value} read from the cache so far. */
    long rowsRead(String value) {
        return counts.getOrDefault(value, new long[2])[1];
    }

    /** Rows of every value read from the cache so far. */
    synchronized long rowsRead() {
        return counts.values().stream().mapToLong(c -> c[1]).sum();
    }

    /**
     * The outputs {@code values} for every row of {@code fed}: rows found on disk are read, the others
     * computed by {@code compute} in one batch per set of missing values, and written.
     */
    synchronized Map<String, Value> run(Value fed, List<String> values, Compute compute) {
        if (directory == null) {
            Map<String, Value> y = compute.run(fed, values);
            values.forEach(v -> counts.computeIfAbsent(v, x -> new long[2])[0] += fed.dim(0));
            return y;
        }
        int n = fed.dim(0);
        int[] sampleDims = Arrays.copyOfRange(fed.dims(), 1, fed.rank());
        int rowSize = fed.size() / n;
        String[] rows = new String[n];
        for (int i = 0; i < n; i++) {
            rows[i] = rowHash(sampleDims, fed.floatData(), i * rowSize, rowSize);
        }
        Map<String, float[][]> found = new LinkedHashMap<>();
        Map<String, int[]> dims = new HashMap<>();
        Map<List<String>, List<Integer>> missingByValues = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            List<String> missing = new ArrayList<>();
            for (String v : values) {
                float[][] perRow = found.computeIfAbsent(v, x -> new float[n][]);
                Entry e = read(file(v, rows[i]));
                if (e == null) {
                    missing.add(v);
                } else {
                    perRow[i] = e.data();
                    checkDims(dims, v, e.dims());
                    counts.computeIfAbsent(v, x -> new long[2])[1]++;
                }
            }
            if (!missing.isEmpty()) {
                missingByValues.computeIfAbsent(missing, x -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<List<String>, List<Integer>> group : missingByValues.entrySet()) {
            List<Integer> which = group.getValue();
            float[] sub = new float[which.size() * rowSize];
            for (int j = 0; j < which.size(); j++) {
                System.arraycopy(fed.floatData(), which.get(j) * rowSize, sub, j * rowSize, rowSize);
            }
            int[] subDims = fed.dims().clone();
            subDims[0] = which.size();
            Map<String, Value> y = compute.run(Value.floats(subDims, sub), group.getKey());
            for (String v : group.getKey()) {
                Value out = y.get(v);
                int[] outDims = Arrays.copyOfRange(out.dims(), 1, out.rank());
                checkDims(dims, v, outDims);
                int size = out.size() / which.size();
                for (int j = 0; j < which.size(); j++) {
                    float[] row = Arrays.copyOfRange(out.floatData(), j * size, (j + 1) * size);
                    found.get(v)[which.get(j)] = row;
                    write(file(v, rows[which.get(j)]), outDims, row);
                }
                counts.computeIfAbsent(v, x -> new long[2])[0] += which.size();
            }
        }
        Map<String, Value> out = new LinkedHashMap<>();
        for (String v : values) {
            int[] d = dims.get(v);
            int size = Math.toIntExact(Value.size(d));
            float[] all = new float[Math.multiplyExact(n, size)];
            for (int i = 0; i < n; i++) {
                System.arraycopy(found.get(v)[i], 0, all, i * size, size);
            }
            int[] withBatch = new int[d.length + 1];
            withBatch[0] = n;
            System.arraycopy(d, 0, withBatch, 1, d.length);
            out.put(v, Value.floats(withBatch, all));
        }
        return out;
    }

    private void checkDims(Map<String, int[]> dims, String value, int[] d) {
        int[] before = dims.putIfAbsent(value, d);
        if (before != null && !Arrays.equals(before, d)) {
            throw new ModelbenchException("feature cache " + directory + ": rows of '" + value + "' have dims "
                    + Arrays.toString(before) + " and " + Arrays.toString(d) + "; expected the same for every row");
        }
    }

    private Path file(String value, String row) {
        String key = keys.computeIfAbsent(value, keyOfValue);
        return directory.resolve(key).resolve(row + ".row");
    }

    /** SHA-256 of a row's dims and float32 values (little-endian), hex. */
    static String rowHash(int[] sampleDims, float[] data, int offset, int length) {
        MessageDigest md = sha256();
        ByteBuffer b = ByteBuffer.allocate(1 << 15).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(sampleDims.length);
        for (int d : sampleDims) {
            b.putInt(d);
        }
        for (int i = offset; i < offset + length; i++) {
            if (b.remaining() < 4) {
                md.update(b.array(), 0, b.position());
                b.clear();
            }
            b.putFloat(data[i]);
        }
        md.update(b.array(), 0, b.position());
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Entry(int[] dims, float[] data) {
    }

    /** The entry in {@code file}; null when absent, or when unreadable (then reported). */
    private Entry read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            if (length < head.capacity() || ch.read(head, 0) != head.capacity()) {
                return broken(file, "shorter than its header (" + length + " bytes)");
            }
            byte[] magic = new byte[MAGIC.length];
            head.flip().get(magic);
            int rank = head.getInt();
            if (!Arrays.equals(magic, MAGIC) || rank < 0 || rank > MAX_RANK) {
                return broken(file, "not a feature row file (expected \"MBROW001\" and a rank 0-" + MAX_RANK + ")");
            }
            long headerBytes = MAGIC.length + 4 + 4L * rank + 4;
            if (length < headerBytes) {
                return broken(file, "shorter than its header (" + length + " bytes)");
            }
            ByteBuffer rest = ByteBuffer.allocate((int) headerBytes - MAGIC.length - 4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(rest, MAGIC.length + 4);
            rest.flip();
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = rest.getInt();
                size *= Math.max(dims[i], 0);
                if (dims[i] < 1 || size > Integer.MAX_VALUE / 4) {
                    return broken(file, "dims " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + " out of range");
                }
            }
            int crc = rest.getInt();
            if (length != headerBytes + 4 * size) {
                return broken(file, length + " bytes, expected " + (headerBytes + 4 * size) + " for dims "
                        + Arrays.toString(dims) + " (truncated?)");
            }
            ByteBuffer payload = ByteBuffer.allocate((int) (4 * size)).order(ByteOrder.LITTLE_ENDIAN);
            while (payload.hasRemaining()) {
                if (ch.read(payload, headerBytes + payload.position()) < 0) {
                    return broken(file, "ends early");
                }
            }
            CRC32C check = new CRC32C();
            check.update(payload.array());
            if ((int) check.getValue() != crc) {
                return broken(file, "its values do not match their CRC32C (corrupted)");
            }
            float[] data = new float[(int) size];
            payload.flip().asFloatBuffer().get(data);
            return new Entry(dims, data);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return broken(file, e.getMessage());
        }
    }

    private Entry broken(Path file, String why) {
        warnings.accept("onnx-transfer: feature cache file " + file + " is unreadable: " + why + "; recomputing it");
        return null;
    }

    private static void write(Path file, int[] dims, float[] data) {
        ByteBuffer payload = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        payload.asFloatBuffer().put(data);
        CRC32C crc = new CRC32C();
        crc.update(payload.array());
        ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + 4 * dims.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putInt(dims.length);
        for (int d : dims) {
            head.putInt(d);
        }
        head.putInt((int) crc.getValue()).flip();
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                while (head.hasRemaining()) {
                    ch.write(head);
                }
                while (payload.hasRemaining()) {
                    ch.write(payload);
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new ModelbenchException("cannot write the feature cache file " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // only a temporary file is left behind
                }
            }
        }
    }
}
