package org.modelbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;

/** The IDX reader on well-formed and malformed files. */
class IdxReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] header(int type, int... dims) {
        byte[] out = new byte[4 + 4 * dims.length];
        out[2] = (byte) type;
        out[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            out[4 + 4 * i] = (byte) (dims[i] >>> 24);
            out[5 + 4 * i] = (byte) (dims[i] >>> 16);
            out[6 + 4 * i] = (byte) (dims[i] >>> 8);
            out[7 + 4 * i] = (byte) dims[i];
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void writesAndReadsBackPlainAndGzip() {
        byte[] values = {0, 1, 2, (byte) 200, (byte) 255, 7};
        for (String name : new String[] {"a-idx3-ubyte", "a-idx3-ubyte.gz"}) {
            Path file = dir.resolve(name);
            IdxWriter.write(file, new int[] {1, 2, 3}, values);
            IdxArray idx = IdxReader.read(file, 3);
            assertArrayEquals(new int[] {1, 2, 3}, idx.dims());
            assertArrayEquals(values, idx.values());
            assertEquals(200, idx.unsigned(3));
            assertEquals(255f, idx.toImageTensor().get(0, 0, 1, 1));
            assertArrayEquals(new int[] {1, 2, 3}, IdxReader.dimensions(file, 3));
        }
    }

    @Test
    void headerOnlyReadsChecksTheHeaderButNotTheValues() throws Exception {
        // the values are truncated: dimensions() does not read them, read() refuses the file
        Path truncated = write("truncated", concat(header(0x08, 3, 2, 2), new byte[5]));
        assertArrayEquals(new int[] {3, 2, 2}, IdxReader.dimensions(truncated, 3));
        assertThrows(DataFormatException.class, () -> IdxReader.read(truncated, 3));
        var e = assertThrows(DataFormatException.class, () -> IdxReader.dimensions(truncated, 1));
        assertTrue(e.getMessage().contains("expected rank 1"), e.getMessage());
        Path png = write("png2", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
        assertThrows(DataFormatException.class, () -> IdxReader.dimensions(png, 3));
    }

    @Test
    void zeroLengthFile() throws Exception {
        Path file = write("empty", new byte[0]);
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(file));
        assertEquals(file + " at byte 0: empty file; expected an IDX header (magic number 0x000008NN)", e.getMessage());
        assertEquals(0, e.offset());
    }

    @Test
    void wrongMagicNumber() throws Exception {
        Path file = write("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().startsWith(file + " at byte 0: bad magic number 0x89504E47"), e.getMessage());
    }

    @Test
    void unsupportedElementTypeAndWrongRank() throws Exception {
        Path floats = write("floats", concat(header(0x0D, 1), new byte[4]));
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(floats));
        assertTrue(e.getMessage().contains("at byte 2: element type 0x0D is not supported; expected 0x08"),
                e.getMessage());
        Path labels = write("labels", concat(header(0x08, 3), new byte[3]));
        var rank = assertThrows(DataFormatException.class, () -> IdxReader.read(labels, 3));
        assertTrue(rank.getMessage().contains("at byte 3: rank 1 (magic number 2049); expected rank 3 (magic number "
                + "2051)"), rank.getMessage());
    }

    @Test
    void truncatedHeaderAndTruncatedValues() throws Exception {
        Path shortHeader = write("short-header", java.util.Arrays.copyOf(header(0x08, 10, 28, 28), 9));
        var h = assertThrows(DataFormatException.class, () -> IdxReader.read(shortHeader));
        assertTrue(h.getMessage().contains("at byte 9: truncated: expected 3 dimension sizes"), h.getMessage());

        Path shortValues = write("short-values", concat(header(0x08, 10, 28, 28), new byte[7000]));
        var v = assertThrows(DataFormatException.class, () -> IdxReader.read(shortValues));
        assertEquals(shortValues + " at byte 7016: truncated: the header declares 10x28x28 = 7840 values, so the file "
                + "should be 7856 bytes, but it is 7016 bytes", v.getMessage());
        assertEquals(7016, v.offset());
    }

    @Test
    void truncatedGzipContentGivesTheDecompressedOffset() throws Exception {
        Path file = write("short.gz", gzip(concat(header(0x08, 4, 2, 2), new byte[10])));
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains("at byte 26: truncated: expected 4x2x2 = 16 values"), e.getMessage());
    }

    @Test
    void gzipGarbage() throws Exception {
        byte[] bytes = gzip(concat(header(0x08, 3), new byte[] {1, 2, 3}));
        for (int i = 12; i < bytes.length - 8; i++) {
            bytes[i] ^= 0x5A;
        }
        Path file = write("garbage.gz", bytes);
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        Path justMagic = write("magic-only.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        assertThrows(DataFormatException.class, () -> IdxReader.read(justMagic));
    }

    @Test
    void dimensionThatWouldOverflowMemoryIsRefusedBeforeAllocating() throws Exception {
        Path file = write("huge", concat(header(0x08, 3_000_000, 28, 28), new byte[16]));
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(file));
        assertEquals(file + " at byte 12: the dimensions declare more than 2147483639 values, more than one array "
                + "can hold", e.getMessage());
        Path negative = write("negative", concat(header(0x08, -5), new byte[4]));
        var n = assertThrows(DataFormatException.class, () -> IdxReader.read(negative));
        assertTrue(n.getMessage().contains("at byte 4: dimension 0 is 4294967291; expected 1 to 2147483647"),
                n.getMessage());
        Path zero = write("zero", header(0x08, 0));
        assertTrue(assertThrows(DataFormatException.class, () -> IdxReader.read(zero)).getMessage()
                .contains("dimension 0 is 0"));
    }

    @Test
    void trailingBytes() throws Exception {
        Path file = write("trailing", concat(header(0x08, 2), new byte[5]));
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains("at byte 10: has trailing bytes"), e.getMessage());
    }

    @Test
    void imageAndLabelCountMismatch() {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        IdxWriter.write(images, new int[] {3, 2, 2}, new byte[12]);
        IdxWriter.write(labels, new int[] {2}, new byte[] {1, 0});
        var e = assertThrows(InvalidInputException.class, () -> IdxDatasetProvider.readPair("x", images, labels,
                java.util.List.of("a", "b"), java.util.Map.of()));
        assertEquals(images + " holds 3 images but " + labels + " holds 2 labels; expected the same count",
                e.getMessage());
    }

    @Test
    void labelOutsideTheClassList() {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        IdxWriter.write(images, new int[] {2, 1, 1}, new byte[2]);
        IdxWriter.write(labels, new int[] {2}, new byte[] {1, 9});
        var e = assertThrows(DataFormatException.class, () -> IdxDatasetProvider.readPair("x", images, labels,
                java.util.List.of("a", "b"), java.util.Map.of()));
        assertEquals(labels + " at byte 9: label 9 at index 1; expected 0 to 1", e.getMessage());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope");
        assertEquals(file + ": no such file",
                assertThrows(DataFormatException.class, () -> IdxReader.read(file)).getMessage());
    }

    @Test
    void aSmallGzipFileCannotDeclareMoreThanDeflateCanInflate() throws Exception {
        Path file = write("bomb.gz", gzip(concat(header(0x08, 100000, 141, 141), new byte[1000])));
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(file));
        assertEquals(file + " at byte 4: the header declares 100000x141x141 = 1988100000 values, but a gzip file of "
                + Files.size(file) + " bytes inflates to at most " + Files.size(file) * 1032
                + " bytes (truncated or not IDX)", e.getMessage());
    }
}
