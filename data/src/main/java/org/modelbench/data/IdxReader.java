package org.modelbench.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.modelbench.api.DataFormatException;

/**
 * Reads IDX files (the format of MNIST), plain or gzip-compressed (detected by content, not name).
 *
 * <p>Layout: bytes 0-1 are zero, byte 2 is the element type ({@code 0x08} = unsigned byte, the only
 * type read here), byte 3 the number of dimensions; then each dimension as a big-endian 32-bit
 * integer; then the values, row-major. Everything is validated before any large allocation: a
 * header whose dimensions promise more data than the file holds, or more than fits in one array,
 * is refused with the byte offset. Trailing bytes after the values are an error too.
 */
public final class IdxReader {
    /** Element type code for unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_RANK = 8;
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    /**
     * The most bytes DEFLATE can expand one compressed byte to (its best case is about 1032:1), so a
     * gzip file of {@code n} bytes holds at most {@code n * 1032} plain bytes.
     */
    static final long MAX_DEFLATE_RATIO = 1032;

    private IdxReader() {
    }

    /** Reads an IDX file of any rank. */
    public static IdxArray read(Path file) {
        return read(file, -1);
    }

    /**
     * Reads an IDX file and checks its rank.
     *
     * @param expectedRank the number of dimensions required (1 for labels, 3 for images), or -1 for any
     * @throws DataFormatException naming the file, the byte offset and what was expected
     */
    public static IdxArray read(Path file, int expectedRank) {
        return withStream(file, (in, plainSize, fileSize) -> parse(file, in, plainSize, fileSize, expectedRank));
    }

    /**
     * Reads only the header of an IDX file (gzip or not): its dimensions, outermost first, after the
     * same checks as {@link #read(Path, int)} makes of a header.
     *
     * @throws DataFormatException naming the file, the byte offset and what was expected
     */
    public static int[] dimensions(Path file, int expectedRank) {
        return withStream(file, (in, plainSize, fileSize) -> header(file, in, expectedRank));
    }

    private interface StreamReader<T> {
        /**
         * @param plainSize the uncompressed size, or -1 for a gzip file
         * @param fileSize  the file's size on disk
         */
        T read(InputStream in, long plainSize, long fileSize) throws IOException;
    }

    /** Opens {@code file} (gunzipping when it starts with the gzip magic) and maps I/O failures to {@link DataFormatException}. */
    private static <T> T withStream(Path file, StreamReader<T> reader) {
        long fileSize;
        boolean gzip;
        try {
            fileSize = Files.size(file);
            try (InputStream probe = Files.newInputStream(file)) {
                gzip = probe.read() == 0x1f && probe.read() == 0x8b;
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, -1, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage(), e);
        }
        if (fileSize == 0) {
            throw new DataFormatException(file, 0, "empty file; expected an IDX header (magic number 0x0000"
                    + "08NN)");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return reader.read(in, gzip ? -1 : fileSize, fileSize);
        } catch (ZipException e) {
            throw new DataFormatException(file, -1, "not a valid gzip stream (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new DataFormatException(file, -1, "gzip stream ends early (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The magic number and the dimensions, checked; the stream is left at the first value. */
    private static int[] header(Path file, InputStream in, int expectedRank) throws IOException {
        byte[] magic = readFully(file, in, 4, 0, "a 4-byte magic number");
        int type = magic[2] & 0xFF;
        int rank = magic[3] & 0xFF;
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(file, 0, String.format(
                    "bad magic number 0x%02X%02X%02X%02X; an IDX file starts with two zero bytes",
                    magic[0], magic[1], magic[2], magic[3]));
        }
        if (type != UNSIGNED_BYTE) {
            throw new DataFormatException(file, 2, String.format(
                    "element type 0x%02X is not supported; expected 0x08 (unsigned byte)", type));
        }
        if (rank < 1 || rank > MAX_RANK) {
            throw new DataFormatException(file, 3, "rank " + rank + " out of range; expected 1 to " + MAX_RANK);
        }
        if (expectedRank > 0 && rank != expectedRank) {
            throw new DataFormatException(file, 3, "rank " + rank + " (magic number " + (0x800 | rank)
                    + "); expected rank " + expectedRank + " (magic number " + (0x800 | expectedRank) + ")");
        }
        byte[] header = readFully(file, in, 4 * rank, 4, rank + " dimension sizes");
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            long d = ((header[4 * i] & 0xFFL) << 24) | ((header[4 * i + 1] & 0xFFL) << 16)
                    | ((header[4 * i + 2] & 0xFFL) << 8) | (header[4 * i + 3] & 0xFFL);
            long offset = 4 + 4L * i;
            if (d == 0 || d > Integer.MAX_VALUE) {
                throw new DataFormatException(file, offset, "dimension " + i + " is " + d
                        + "; expected 1 to " + Integer.MAX_VALUE);
            }
            dims[i] = (int) d;
            total *= d;
            if (total > MAX_VALUES) {
                throw new DataFormatException(file, offset, "the dimensions declare more than " + MAX_VALUES
                        + " values, more than one array can hold");
            }
        }
        return dims;
    }

    private static IdxArray parse(Path file, InputStream in, long plainSize, long fileSize, int expectedRank)
            throws IOException {
        int[] dims = header(file, in, expectedRank);
        int rank = dims.length;
        long total = 1;
        for (int d : dims) {
            total *= d;
        }
        long headerSize = 4 + 4L * rank;
        if (plainSize >= 0 && plainSize != headerSize + total) {
            String what = plainSize < headerSize + total ? "truncated" : "has trailing bytes";
            throw new DataFormatException(file, Math.min(plainSize, headerSize + total), what + ": the header declares "
                    + describe(dims) + " = " + total + " values, so the file should be " + (headerSize + total)
                    + " bytes, but it is " + plainSize + " bytes");
        }
        byte[] values;
        if (plainSize >= 0) {
            values = readFully(file, in, (int) total, headerSize, describe(dims) + " = " + total + " values");
        } else {
            // gzip: the plain size is unknown until inflated, so nothing is allocated that the file
            // cannot justify: the declared size must fit the best DEFLATE ratio, and the values are
            // inflated in chunks, never more than the header declares.
            if (headerSize + total > fileSize * MAX_DEFLATE_RATIO) {
                throw new DataFormatException(file, 4, "the header declares " + describe(dims) + " = " + total
                        + " values, but a gzip file of " + fileSize + " bytes inflates to at most "
                        + fileSize * MAX_DEFLATE_RATIO + " bytes (truncated or not IDX)");
            }
            values = in.readNBytes((int) total);
            if (values.length < total) {
                throw new DataFormatException(file, headerSize + values.length, "truncated: expected " + describe(dims)
                        + " = " + total + " values (" + total + " bytes from byte " + headerSize
                        + " after gunzipping), found only " + values.length);
            }
        }
        if (in.read() != -1) {
            throw new DataFormatException(file, headerSize + total, "has trailing bytes after the "
                    + total + " values the header declares");
        }
        return new IdxArray(file, dims, values);
    }

    private static byte[] readFully(Path file, InputStream in, int n, long offset, String what) throws IOException {
        byte[] buffer = new byte[n];
        int read = 0;
        while (read < n) {
            int r = in.read(buffer, read, n - read);
            if (r < 0) {
                throw new DataFormatException(file, offset + read, "truncated: expected " + what + " ("
                        + n + " bytes from byte " + offset + "), found only " + read);
            }
            read += r;
        }
        return buffer;
    }

    private static String describe(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }
}
