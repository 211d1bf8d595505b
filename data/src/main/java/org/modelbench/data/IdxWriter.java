package org.modelbench.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.ModelbenchException;

/** Writes unsigned-byte IDX files (plain, or gzip when the name ends in {@code .gz}), atomically. */
public final class IdxWriter {
    private IdxWriter() {
    }

    /**
     * @param dims   dimensions, outermost first; their product must equal {@code values.length}
     * @param values unsigned bytes, row-major
     */
    public static void write(Path file, int[] dims, byte[] values) {
        long total = 1;
        for (int d : dims) {
            total *= d;
        }
        if (total != values.length) {
            throw new IllegalArgumentException("dims hold " + total + " values, got " + values.length);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(values.length + 64);
        try (OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(bytes) : bytes) {
            out.write(new byte[] {0, 0, (byte) IdxReader.UNSIGNED_BYTE, (byte) dims.length});
            for (int d : dims) {
                out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
            }
            out.write(values);
        } catch (IOException e) {
            throw new ModelbenchException("cannot encode " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
