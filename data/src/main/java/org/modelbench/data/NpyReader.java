package org.modelbench.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;

/**
 * Reads NumPy arrays: {@code .npy} files (format versions 1.0, 2.0 and 3.0) and the {@code .npy} entries
 * of {@code .npz} archives (stored or deflated). Element types {@code <f4 <f8 |u1 <i4 <i8}, C order,
 * little-endian; values become floats.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, two version bytes, the header length (2 bytes in 1.0, 4 in
 * 2.0 and 3.0, little-endian), then a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 784), }}, then the values. The header's
 * shape is checked against the bytes present (the file's size, or the archive entry's) before
 * anything is allocated, so a header claiming 10^12 elements is an error, never an
 * {@code OutOfMemoryError}.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 16;
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    /**
     * An array as read.
     *
     * @param source the file (and archive entry) it came from, for messages
     * @param descr  the NumPy element type, e.g. {@code <f4}
     * @param shape  the dimensions, outermost first
     * @param values the values, C order, as floats
     */
    public record NpyArray(String source, String descr, int[] shape, float[] values) {
        /** Whether the element type is an integer type. */
        public boolean isInteger() {
            return !descr.endsWith("f4") && !descr.endsWith("f8");
        }

        @Override
        public String toString() {
            return source + " " + descr + " " + Arrays.toString(shape);
        }
    }

    /** Reads a {@code .npy} file. */
    public static NpyArray read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, size, file.toString(), file);
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The names of the arrays in a {@code .npz} archive (entry names without {@code .npy}). */
    public static List<String> names(Path archive) {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(e -> names.add(e.getName().replaceFirst("\\.npy$", "")));
            return names;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InvalidInputException(archive + ": no such file");
        } catch (ZipException e) {
            throw new DataFormatException(archive, -1, "not a valid .npz (zip) archive: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // ZipFile's names are UTF-8 by default: a malformed name is reported this way (found by fuzzing)
            throw new DataFormatException(archive, -1, "not a valid .npz (zip) archive: an entry name is not valid"
                    + " UTF-8", e);
        } catch (IOException e) {
            throw new InvalidInputException(archive + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads array {@code name} of a {@code .npz} archive. */
    public static NpyArray read(Path archive, String name) {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            ZipEntry entry = zip.getEntry(name + ".npy");
            if (entry == null) {
                throw new InvalidInputException(archive + ": no array '" + name + "'; the archive holds "
                        + names(archive));
            }
            String source = archive + "[" + name + "]";
            if (entry.getSize() < 0) {
                throw new DataFormatException(archive, -1, "entry " + name + ".npy does not state its size");
            }
            try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
                return read(in, entry.getSize(), source, archive);
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InvalidInputException(archive + ": no such file");
        } catch (ZipException e) {
            throw new DataFormatException(archive, -1, "not a valid .npz (zip) archive: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // ZipFile's names are UTF-8 by default: a malformed name is reported this way (found by fuzzing)
            throw new DataFormatException(archive, -1, "not a valid .npz (zip) archive: an entry name is not valid"
                    + " UTF-8", e);
        } catch (IOException e) {
            throw new InvalidInputException(archive + ": cannot read: " + e.getMessage());
        }
    }

    private static NpyArray read(InputStream in, long size, String source, Path file) throws IOException {
        byte[] start = readFully(in, 8, source, file, 0, "the magic \\x93NUMPY and a version");
        for (int i = 0; i < MAGIC.length; i++) {
            if (start[i] != MAGIC[i]) {
                throw error(file, source, 0, "not a .npy array: expected the magic bytes \\x93NUMPY");
            }
        }
        int major = start[6] & 0xFF;
        int minor = start[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw error(file, source, 6, "format version " + major + "." + minor + "; expected 1.0, 2.0 or 3.0");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = readFully(in, lengthBytes, source, file, 8, "the header length");
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = (headerLength << 8) | (lengthField[i] & 0xFF);
        }
        long dataStart = 8 + lengthBytes + headerLength;
        if (headerLength > MAX_HEADER || dataStart > size) {
            throw error(file, source, 8, "header length " + headerLength + " is more than the " + size
                    + " bytes present (or the " + MAX_HEADER + " a header may take)");
        }
        String header = new String(readFully(in, (int) headerLength, source, file, 8 + lengthBytes, "the header"),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(DESCR, header, file, source, "'descr'");
        int itemSize = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|u1", "<u1" -> 1;
            default -> throw error(file, source, 8 + lengthBytes, "element type '" + descr
                    + "'; expected one of <f4 <f8 |u1 <i4 <i8 (little-endian)");
        };
        if (field(FORTRAN, header, file, source, "'fortran_order'").equals("True")) {
            throw error(file, source, 8 + lengthBytes, "fortran_order is True; expected C order "
                    + "(save with numpy.ascontiguousarray)");
        }
        String[] parts = field(SHAPE, header, file, source, "'shape'").split(",");
        List<Integer> dims = new ArrayList<>();
        long count = 1;
        java.math.BigInteger declared = java.math.BigInteger.ONE;
        for (String part : parts) {
            if (part.isBlank()) {
                continue;
            }
            long d;
            try {
                d = Long.parseLong(part.strip());
            } catch (NumberFormatException e) {
                throw error(file, source, 8 + lengthBytes, "shape entry '" + part.strip() + "'; expected an integer");
            }
            if (d < 1 || d > Integer.MAX_VALUE) {
                throw error(file, source, 8 + lengthBytes, "dimension " + d + "; expected 1 to " + Integer.MAX_VALUE);
            }
            dims.add((int) d);
            count = count > MAX_VALUES ? count : count * d;
            declared = declared.multiply(java.math.BigInteger.valueOf(d));
        }
        if (dims.isEmpty()) {
            throw error(file, source, 8 + lengthBytes, "a scalar (shape ()); expected at least one dimension");
        }
        long present = size - dataStart;
        if (count > MAX_VALUES || count * itemSize != present) {
            throw error(file, source, dataStart, "the header's shape " + dims + " declares " + declared + " values of "
                    + itemSize + " bytes, but " + present + " bytes follow the header");
        }
        float[] values = new float[(int) count];
        byte[] buffer = new byte[1 << 16];
        ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        int filled = 0;
        int carry = 0;
        while (filled < count) {
            int r = in.read(buffer, carry, buffer.length - carry);
            if (r < 0) {
                throw error(file, source, dataStart + (long) filled * itemSize, "truncated: " + filled + " of " + count
                        + " values present");
            }
            int available = carry + r;
            int whole = available / itemSize;
            whole = (int) Math.min(whole, count - filled);
            for (int i = 0; i < whole; i++) {
                int at = i * itemSize;
                values[filled + i] = switch (descr) {
                    case "<f4" -> view.getFloat(at);
                    case "<f8" -> (float) view.getDouble(at);
                    case "<i4" -> view.getInt(at);
                    case "<i8" -> view.getLong(at);
                    default -> buffer[at] & 0xFF;
                };
            }
            filled += whole;
            carry = available - whole * itemSize;
            System.arraycopy(buffer, whole * itemSize, buffer, 0, carry);
        }
        if (carry > 0 || in.read() >= 0) {
            throw error(file, source, dataStart + count * itemSize, "has bytes after the " + count
                    + " values its header declares");
        }
        return new NpyArray(source, descr, dims.stream().mapToInt(Integer::intValue).toArray(), values);
    }

    private static String field(Pattern pattern, String header, Path file, String source, String name) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw error(file, source, 10, "the header has no " + name + " entry: " + header.strip());
        }
        return m.group(1);
    }

    private static byte[] readFully(InputStream in, int n, String source, Path file, long offset, String what)
            throws IOException {
        byte[] out = in.readNBytes(n);
        if (out.length < n) {
            throw error(file, source, offset + out.length, "truncated: expected " + what + " (" + n + " bytes)");
        }
        return out;
    }

    private static DataFormatException error(Path file, String source, long offset, String message) {
        String entry = source.equals(file.toString()) ? "" : "entry " + source.substring(file.toString().length())
                + ": ";
        return new DataFormatException(file, offset, entry + message);
    }
}
